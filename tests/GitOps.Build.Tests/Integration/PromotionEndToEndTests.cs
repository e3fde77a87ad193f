using System.Text;
using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// The staging → production path of samples/app as a team runs it: a publish to staging (real registry, real git
/// server over HTTP), an unrelated deploy on top, `dotnet msbuild -t:GitOpsPromote`, then `-t:GitOpsStatus` with a
/// read-only token under GitHub Actions.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class PromotionEndToEndTests
{
    private const string Staging = "apps/sample-app-kustomize/overlays/staging/kustomization.yaml";
    private const string Production = "apps/sample-app-kustomize/overlays/production/kustomization.yaml";

    private static string Text(byte[] content) => Encoding.UTF8.GetString(content);

    [TestMethod]
    public void A_publish_to_staging_is_promoted_to_production_with_its_tag_digest_and_provenance_and_status_says_where_it_runs()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var productionBefore = Text(config.ReadFile(Production));
        var writer = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken };

        var publish = app.PublishWithGitOps(environment, config.Url, null, "-p:GitOpsEnvironment=staging", "-p:GitOpsImageReferenceFormat=TagAndDigest");
        Assert.IsTrue(publish.Succeeded, publish.ToString());
        var stagingDeploy = config.Head;
        var digest = config.Trailers()["GitOps-Image-Digest"];
        var staging = Text(config.ReadFile(Staging));
        StringAssert.Contains(staging, "digest: " + digest);
        // Another deploy on top, to another manifest: staging's deploy commit is no longer the tip (a depth-1 clone would miss it).
        var other = app.Dotnet(writer, "msbuild", "-t:GitOpsUpdateConfig", $"-p:GitOpsConfigRepository={config.Url}",
            $"-p:GitOpsImage={environment.Registry}/team/sample-app:0ther01");
        Assert.IsTrue(other.Succeeded, other.ToString());
        var stagingTip = config.Head;

        var promote = app.Dotnet(new Dictionary<string, string?>(writer)
            {
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "team/sample-app", ["GITHUB_RUN_ID"] = "4712",
            },
            "msbuild", "-t:GitOpsPromote", "-p:GitOpsPromoteFrom=staging", "-p:GitOpsPromoteTo=production",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:ContainerRegistry={environment.Registry}");

        Assert.IsTrue(promote.Succeeded, promote.ToString());
        Assert.AreEqual(stagingTip, config.Parent());
        var imageLines = string.Concat(staging.Split('\n').Where(line => line.StartsWith("    newTag:", StringComparison.Ordinal) || line.StartsWith("    digest:", StringComparison.Ordinal))
            .Select(line => line + "\n"));
        Assert.AreEqual(productionBefore.Replace("    newTag: initial\n", imageLines, StringComparison.Ordinal), Text(config.ReadFile(Production)),
            "exactly staging's tag and digest, and no other byte");
        var trailers = config.Trailers();
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
        Assert.AreEqual(stagingTip, trailers["GitOps-Promoted-From-Commit"]);
        Assert.AreEqual(stagingDeploy, trailers["GitOps-Promoted-From-Deploy-Commit"]);
        Assert.AreEqual(app.Head, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual(digest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual("SampleApp.csproj", trailers["GitOps-Project"]);
        Assert.AreEqual("https://github.com/team/sample-app/actions/runs/4712", trailers["GitOps-Build-Url"]);

        var refs = ProcessRunner.Run("git", ["--git-dir", config.GitDirectory, "for-each-ref"]).StandardOutput;
        var summary = Path.Combine(app.Root, "summary.md");
        var status = app.Dotnet(new Dictionary<string, string?>
            {
                ["GITOPS_TOKEN"] = environment.GitReaderToken, ["GITOPS_USERNAME"] = environment.GitReaderUsername,
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary,
            },
            "msbuild", "-t:GitOpsStatus", $"-p:GitOpsConfigRepository={config.Url}", $"-p:ContainerRegistry={environment.Registry}");

        Assert.IsTrue(status.Succeeded, status.ToString());
        Assert.AreEqual(refs, ProcessRunner.Run("git", ["--git-dir", config.GitDirectory, "for-each-ref"]).StandardOutput, "status wrote to the config repository");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.ProjectDirectory, "obj", "gitops-status.json")));
        foreach (var row in json.RootElement.GetProperty("environments").EnumerateArray())
        {
            Assert.AreEqual(app.Head, row.GetProperty("sourceCommit").GetString(), row.ToString());
            Assert.IsTrue(row.GetProperty("headDeployed").GetBoolean(), row.ToString());
            Assert.AreEqual(digest, row.GetProperty("digest").GetString(), row.ToString());
        }
        Assert.AreEqual("staging", json.RootElement.GetProperty("environments")[1].GetProperty("promotedFrom").GetString());
        var table = File.ReadAllText(summary);
        StringAssert.Contains(table, "| staging (main) |");
        StringAssert.Contains(table, "| production (main) |");
        StringAssert.Contains(status.StandardOutput, "HEAD is deployed");
    }
}
