using System.Text;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// The packed SDK works each way a project can reference it: the task assembly, its .deps.json and
/// libgit2's native library load inside MSBuild and commit to a (local) config repository.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class SdkReferenceTests
{
    private const string Image = "registry.example.com/team/sample-app:abc1234";

    private static string Project(string sdkReference, string packageReference = "") =>
        AppWorkspace.ConsoleProject(AppWorkspace.ManifestPathProperty, sdkReference, packageReference);

    private static void AssertStandaloneTargetCommits(AppWorkspace app, params string[] extraArguments)
    {
        using var config = TestConfigRepository.Local();
        var before = config.Head;

        var result = app.Dotnet(null, ["msbuild", .. extraArguments, "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}"]);

        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.AreEqual(before, config.Parent());
        Assert.AreEqual("Deploy team/sample-app:abc1234", config.Subject());
        StringAssert.Contains(Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)),
            "image: \"127.0.0.1:5000/team/sample-app:abc1234\"");
    }

    [TestMethod]
    public void As_an_Sdk_element_with_a_version()
    {
        using var app = AppWorkspace.WithProject(Project($"""<Sdk Name="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />"""));
        AssertStandaloneTargetCommits(app);
    }

    [TestMethod]
    public void As_a_PackageReference()
    {
        using var app = AppWorkspace.WithProject(Project("",
            $"""<PackageReference Include="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />"""));
        AssertStandaloneTargetCommits(app, "-restore");
    }

    [TestMethod]
    public void Through_global_json_msbuild_sdks()
    {
        using var app = AppWorkspace.WithProject(Project("""<Sdk Name="GitOps.Build.Sdk" />"""),
            globalJson: $$"""{ "msbuild-sdks": { "GitOps.Build.Sdk": "{{SdkPackage.Version}}" } }""");
        AssertStandaloneTargetCommits(app);
    }

    [TestMethod]
    public void Building_without_GitOpsPush_runs_none_of_its_targets()
    {
        using var app = AppWorkspace.WithProject(Project($"""<Sdk Name="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />"""));

        // Detailed verbosity names every target that runs ("Done building target") and every one skipped.
        var result = app.Dotnet(null, "publish", "-v:detailed");

        Assert.IsTrue(result.Succeeded, result.StandardError);
        Assert.IsTrue(result.StandardOutput.Contains("Done building target \"Publish\"", StringComparison.Ordinal), "no target log at this verbosity");
        var ran = result.StandardOutput.Split('\n').Where(l => l.Contains("Done building target \"", StringComparison.Ordinal)
            && (l.Contains("\"GitOps", StringComparison.Ordinal) || l.Contains("\"_GitOps", StringComparison.Ordinal))).ToList();
        Assert.IsEmpty(ran, string.Join('\n', ran));
    }
}
