using System.Text.Json;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// samples/app's `dotnet msbuild -t:GitOpsPromote`, then `-t:GitOpsStatus`, with GitOpsCommitMethod=api, on GitHub's
/// contract server (held to its API description, with a real object store) as the forge: the config repository's URL
/// names a host that does not exist, so a clone, had one been tried, would fail the build (GITOPS021).
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class ApiPromotionEndToEndTests
{
    private const string Staging = "apps/sample-app-kustomize/overlays/staging/kustomization.yaml";
    private const string Production = "apps/sample-app-kustomize/overlays/production/kustomization.yaml";
    private const string Image = "127.0.0.1:5000/team/sample-app";

    private static string Sample(string path) => File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo", path));

    [TestMethod]
    public void A_promotion_and_the_status_after_it_read_and_write_through_the_GitHub_API_with_no_clone()
    {
        using var app = AppWorkspace.FromSample();
        using var github = new GitHubContract();
        var staging = Sample(Staging).Replace("newTag: initial", "newTag: abc1234", StringComparison.Ordinal);
        Assert.AreNotEqual(Sample(Staging), staging);
        github.Git.CommitText("main", new Dictionary<string, string> { [Staging] = Sample(Staging), [Production] = Sample(Production), ["README.md"] = "config\n" },
            "Initial config");
        var deploy = github.Git.CommitText("main", new Dictionary<string, string> { [Staging] = staging }, $"""
            Deploy team/sample-app:abc1234

            GitOps-Source-Commit: {app.Head}
            GitOps-Image: {Image}:abc1234
            GitOps-Project: SampleApp.csproj
            """);
        // A later commit that leaves staging alone: its deploy commit is found in the file's history, not at the tip.
        github.Git.CommitText("main", new Dictionary<string, string> { ["README.md"] = "config, edited\n" }, "Edit the README");
        var before = github.Git.Tip("main")!;
        var variables = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = GitHubContract.Token };
        string[] api = ["-p:GitOpsConfigRepository=https://github.invalid/team/config.git", "-p:GitOpsCommitMethod=api", "-p:GitOpsForge=GitHub",
            $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}", "-p:GitOpsConfigBranch=main", "-v:n", "-nologo"];

        var promote = app.Dotnet(variables, ["msbuild", "-restore", "-t:GitOpsPromote", "-p:GitOpsPromoteFrom=staging", "-p:GitOpsPromoteTo=production", .. api]);

        Assert.IsTrue(promote.Succeeded, promote.ToString());
        github.AssertHonoured();
        var tip = github.Git.Tip("main")!;
        Assert.AreEqual(before, github.Git.Commit(tip)!.Parents.Single());
        Assert.AreEqual(Sample(Production).Replace("newTag: initial", "newTag: abc1234", StringComparison.Ordinal), github.Git.ReadText("main", Production),
            "exactly staging's tag, and no other byte");
        var trailers = GitTrailers.Parse(github.Git.Commit(tip)!.Message);
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
        Assert.AreEqual(before, trailers["GitOps-Promoted-From-Commit"]);
        Assert.AreEqual(deploy, trailers["GitOps-Promoted-From-Deploy-Commit"]);
        Assert.AreEqual(app.Head, trailers["GitOps-Source-Commit"]);
        Assert.IsFalse(promote.StandardOutput.Contains("GitOps: cloned", StringComparison.Ordinal), "nothing is cloned");
        Assert.IsFalse(promote.ToString().Contains(GitHubContract.Token, StringComparison.Ordinal));

        var status = app.Dotnet(variables, ["msbuild", "-t:GitOpsStatus", .. api]);

        Assert.IsTrue(status.Succeeded, status.ToString());
        github.AssertHonoured();
        Assert.AreEqual(tip, github.Git.Tip("main"), "read-only");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.ProjectDirectory, "obj", "gitops-status.json")));
        var rows = json.RootElement.GetProperty("environments").EnumerateArray().ToDictionary(e => e.GetProperty("environment").GetString()!);
        Assert.AreEqual(deploy, rows["staging"].GetProperty("deployCommit").GetString());
        Assert.AreEqual(tip, rows["production"].GetProperty("deployCommit").GetString(), "the promotion is production's deploy commit");
        foreach (var row in rows.Values)
        {
            Assert.AreEqual($"{Image}:abc1234", row.GetProperty("image").GetString(), row.ToString());
            Assert.AreEqual(app.Head, row.GetProperty("sourceCommit").GetString(), row.ToString());
            Assert.IsTrue(row.GetProperty("headDeployed").GetBoolean(), row.ToString());
        }
        Assert.IsFalse(status.StandardOutput.Contains("GitOps: cloned", StringComparison.Ordinal), "nothing is cloned");
    }
}
