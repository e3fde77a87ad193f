namespace GitOps.Build.Tests.Targets;

/// <summary>
/// What the publish checks before anything is compiled, run in-process: a GitOpsPush that is not a boolean, and a
/// solution build that would commit each project on its own because the solution does not import the SDK.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PublishChecksTests
{
    private static Dictionary<string, string> Publish() => new()
    {
        ["ContainerRegistry"] = "registry.example.com",
        ["GitOpsManifestPath"] = "apps/app/deployment.yaml",
    };

    [TestMethod]
    [DataRow("yes")]
    [DataRow("1")]
    public void A_GitOpsPush_that_is_not_a_boolean_is_GITOPS008_naming_it_instead_of_silently_nothing(string value)
    {
        using var project = TargetsProject.Create(Publish(), new Dictionary<string, string> { ["GitOpsPush"] = value });

        var run = project.Build("ComputeContainerConfig");

        Assert.IsFalse(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "GITOPS008" }, run.Log.ErrorCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, "GitOpsPush");
    }

    [TestMethod]
    public void GitOpsPush_false_checks_nothing()
    {
        using var project = TargetsProject.Create(new Dictionary<string, string>(), new Dictionary<string, string> { ["GitOpsPush"] = "false" });

        var run = project.Build("ComputeContainerConfig");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(0, run.Log.Warnings.Count, run.ToString());
    }

    [TestMethod]
    public void A_project_published_by_a_solution_that_does_not_import_the_SDK_warns_GITOPS074_naming_Directory_Solution_targets()
    {
        var solution = Path.Combine(Path.GetTempPath(), "shop", "Shop.sln");
        using var project = TargetsProject.Create(Publish(), new Dictionary<string, string>
        {
            ["GitOpsPush"] = "true",
            ["SolutionPath"] = solution,
            ["CurrentSolutionConfigurationContents"] = "<SolutionConfiguration />",
        });

        var run = project.Build("_GitOpsCheckInputs");

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "GITOPS074" }, run.Log.WarningCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Warnings[0].Message, Path.Combine(Path.GetDirectoryName(solution)!, "Directory.Solution.targets"));
    }

    [TestMethod]
    [DataRow("_GitOpsReleaseDirectory", "/tmp/gitops-release-1-x")]
    [DataRow("GitOpsRelease", "false")]
    public void A_project_of_a_release_or_with_GitOpsRelease_false_gets_no_GITOPS074(string name, string value)
    {
        using var project = TargetsProject.Create(Publish(), new Dictionary<string, string>
        {
            ["GitOpsPush"] = "true",
            ["SolutionPath"] = "/src/shop/Shop.sln",
            ["CurrentSolutionConfigurationContents"] = "<SolutionConfiguration />",
            [name] = value,
        });

        var run = project.Build("_GitOpsCheckInputs");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(0, run.Log.Warnings.Count, run.ToString());
    }
}
