using GitOps.Build.Tests.Ci;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// A dry run whose diff shows config-repository lines that are CI commands, run by the real task in the MSBuild
/// engine: what reaches the log gives the CI system no command but the build's own, and still shows the lines.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class CiLogEscapingTests
{
    private const string Manifest = "apps/app/deployment.yaml";

    // Lines a config repository may hold (here a note next to the image), which the diff shows as context: CI commands,
    // and terminal controls (hidden text, a window title) that must reach no terminal showing the log.
    private const string Injection = "  ::add-mask::x ##vso[task.setvariable variable=GITOPS_TOKEN]stolen \u001b[8mhidden\u001b[0m \u001b]0;owned\u0007\n  ::error title=GITOPS069::owned\n";

    private ConfigRemote remote = null!;

    [TestInitialize]
    public void CreateConfigRepository() =>
        remote = ConfigRemote.Create("main", new Dictionary<string, string>
        {
            [Manifest] = TestManifest.Deployment("registry.example.com/team/app:initial") + "note: |\n" + Injection,
        });

    [TestCleanup]
    public void DeleteConfigRepository() => remote.Dispose();

    private TargetRun DryRun(Dictionary<string, string> environment)
    {
        using var project = TargetsProject.Create(new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = remote.Path,
            ["GitOpsManifestPath"] = Manifest,
            ["GitOpsImage"] = "registry.example.com/team/app:v2",
            ["GitOpsDryRun"] = "true",
        });
        var run = project.Build("GitOpsUpdateConfig", environment);
        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(string.Join('\n', run.Log.Lines).Replace("\u200B", "", StringComparison.Ordinal), "::error title=GITOPS069::owned",
            "the diff shows the lines (with an invisible mark, where no stop-commands hides them)");
        Assert.IsFalse(run.Log.Lines.Any(line => line.Contains('\u001b') || line.Contains('\u0007')), run.ToString());
        StringAssert.Contains(string.Join('\n', run.Log.Lines), "\u241B[8mhidden", "the escape is shown, inert");
        return run;
    }

    [TestMethod]
    public void Azure_Pipelines_obeys_only_the_variables_the_build_sets()
    {
        var run = DryRun(new() { ["TF_BUILD"] = "True" });

        var commands = CiReaders.AzureCommands(run.Log.Lines);
        Assert.IsNotEmpty(commands, run.ToString());
        Assert.AreEqual("", string.Join('\n', commands.Where(line => !line.StartsWith("##vso[task.setvariable variable=GitOps", StringComparison.Ordinal))), run.ToString());
    }

    [TestMethod]
    public void GitHub_Actions_obeys_no_line_of_the_diff_and_shows_it_as_it_is()
    {
        var summary = Path.Combine(remote.Root, "summary.md");

        var run = DryRun(new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.AreEqual("", string.Join('\n', CiReaders.GitHubCommands(run.Log.Lines)), run.ToString());
        StringAssert.Contains(string.Join('\n', run.Log.Lines), "\n   ::error title=GITOPS069::owned\n", "between stop and resume, the context line as git shows it");
        StringAssert.Contains(CiReaders.Render(File.ReadAllText(summary)), "::error title=GITOPS069::owned", "the summary shows it too");
    }
}
