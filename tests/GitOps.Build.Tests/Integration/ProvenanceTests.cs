using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// What a deploy leaves behind for auditors and CI: trailers, OCI labels read back from the registry with skopeo,
/// GitHub Actions outputs, the JSON result; and a dry run that leaves registry and config repository alone.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class ProvenanceTests
{
    private const string SourceRepository = "https://git.example.com/team/sample-app.git";

    [TestMethod]
    public void A_deploy_from_GitHub_Actions_records_its_provenance_everywhere()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        ProcessRunner.Run("git", ["remote", "add", "origin", "https://ci-user:secret@git.example.com/team/sample-app.git"], app.Root);
        using var config = TestConfigRepository.OnServer(environment);
        var outputs = Path.Combine(app.Root, "github_output");
        var summary = Path.Combine(app.Root, "summary.md");
        var image = $"{environment.Registry}/team/sample-app:{app.Head[..7]}";

        var publish = app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "team/sample-app", ["GITHUB_RUN_ID"] = "4711",
        });

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        var trailers = config.Trailers();
        Assert.AreEqual(app.Head, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual(SourceRepository, trailers["GitOps-Source-Repository"], "credentials are stripped");
        Assert.AreEqual("https://github.com/team/sample-app/actions/runs/4711", trailers["GitOps-Build-Url"]);
        Assert.AreEqual("SampleApp.csproj", trailers["GitOps-Project"]);

        var inspect = ProcessRunner.Run("skopeo", ["inspect", "--tls-verify=false", $"docker://{image}"]);
        Assert.IsTrue(inspect.Succeeded, inspect.ToString());
        var labels = JsonDocument.Parse(inspect.StandardOutput).RootElement.GetProperty("Labels");
        Assert.AreEqual(app.Head, labels.GetProperty("org.opencontainers.image.revision").GetString());
        Assert.AreEqual(SourceRepository, labels.GetProperty("org.opencontainers.image.source").GetString());

        var lines = File.ReadAllLines(outputs);
        CollectionAssert.Contains(lines, $"image={image}");
        CollectionAssert.Contains(lines, $"config-commit={config.Head}");
        CollectionAssert.Contains(lines, $"digest={trailers["GitOps-Image-Digest"]}");
        StringAssert.Contains(File.ReadAllText(summary), "```diff");

        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.ProjectDirectory, "bin", "Release", "net10.0", "publish", "gitops-result.json"))).RootElement;
        Assert.AreEqual(config.Head, result.GetProperty("configCommit").GetString());
        Assert.IsFalse(publish.StandardOutput.Contains("secret", StringComparison.Ordinal), "credentials of the app remote in the output");
    }

    [TestMethod]
    public void A_dry_run_pushes_no_image_commits_nothing_and_prints_the_diff()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var tag = app.Head[..7];

        var publish = app.PublishWithGitOps(environment, config.Url, null, "-p:GitOpsDryRun=true");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Head);
        StringAssert.Contains(publish.StandardOutput, $"+          image: \"{environment.Registry}/team/sample-app:{tag}\"");
        var tags = ProcessRunner.Run("skopeo", ["list-tags", "--tls-verify=false", $"docker://{environment.Registry}/team/sample-app"]);
        Assert.IsFalse(tags.StandardOutput.Contains($"\"{tag}\"", StringComparison.Ordinal), "the dry run pushed the image");
    }
}
