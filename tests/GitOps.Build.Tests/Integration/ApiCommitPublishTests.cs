using System.Text.Json;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsCommitMethod=api` with the real registry of build/env for the image and
/// a forge's contract server (held to its API description, with a real object store) as the forge: the config
/// repository's URL names a host that does not exist, so a clone, had one been tried, would fail the build.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("Registry")]
public sealed class ApiCommitPublishTests
{
    private const string Manifest = "apps/sample-app/deployment.yaml";

    [TestMethod]
    public void A_publish_commits_through_the_GitHub_API_with_no_clone()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var github = new GitHubContract();
        var sample = File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo", Manifest));
        github.Git.CommitText("main", new Dictionary<string, string> { [Manifest] = sample, ["README.md"] = "config\n" }, "Initial config");
        var before = github.Git.Tip("main");
        var tag = app.Head[..7];

        var publish = app.PublishWithGitOps(environment, "https://github.invalid/team/config.git",
            new Dictionary<string, string?> { ["GITOPS_TOKEN"] = GitHubContract.Token },
            "-p:GitOpsCommitMethod=api", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}", "-p:GitOpsConfigBranch=main", "-v:n");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        github.AssertHonoured();
        var tip = github.Git.Tip("main")!;
        Assert.AreEqual(before, github.Git.Commit(tip)!.Parents.Single());
        StringAssert.Contains(github.Git.ReadText("main", Manifest), $"{environment.Registry}/team/sample-app:{tag}");
        StringAssert.Contains(github.Git.Commit(tip)!.Message, "GitOps-Image-Digest: sha256:");
        Assert.AreEqual(6, github.Server.Requests.Count, string.Join("\n", github.Server.Requests));
        StringAssert.Contains(publish.StandardOutput, "through the GitHub API");
        StringAssert.Contains(publish.StandardOutput, "GitOps: deployed");
        Assert.IsFalse(publish.StandardOutput.Contains("GitOps: cloned", StringComparison.Ordinal), "nothing is cloned");
        Assert.IsFalse(publish.ToString().Contains(GitHubContract.Token, StringComparison.Ordinal));
        var result = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(app.Root, "gitops-result.json", SearchOption.AllDirectories).Single())).RootElement;
        Assert.AreEqual(tip, result.GetProperty("configCommit").GetString());
    }

    [TestMethod]
    [DataRow("GitLab", "https://gitlab.invalid/team/platform/config.git", "postApiV4ProjectsIdRepositoryCommits", 4)]
    [DataRow("AzureDevOps", "https://azure.invalid/contoso/Fabrikam/_git/config", "Pushes_Create", 6)]
    public void A_publish_commits_through_the_forge_API_with_no_clone(string forge, string configUrl, string write, int calls)
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        var git = new SimulatedGitStore();
        var sample = File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo", Manifest));
        git.CommitText("main", new Dictionary<string, string> { [Manifest] = sample, ["README.md"] = "config\n" }, "Initial config");
        var before = git.Tip("main");
        var (server, root) = forge == "GitLab"
            ? GitLabContract.Start(new SimulatedRepository(), "team/platform/config", git)
            : AzureDevOpsContract.Start(new SimulatedRepository(), "Fabrikam", "config", git);
        using var owned = server;
        // A token the build could only have got from the environment: it must reach the forge, and no log.
        const string Token = "forge-token-4711";
        server.AcceptedAuthorizations.Clear();
        server.AcceptedAuthorizations.Add(forge == "GitLab" ? "Bearer " + Token : "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + Token)));
        var tag = app.Head[..7];

        var publish = app.PublishWithGitOps(environment, configUrl, new Dictionary<string, string?> { ["GITOPS_TOKEN"] = Token },
            "-p:GitOpsCommitMethod=api", $"-p:GitOpsForge={forge}", $"-p:GitOpsForgeApiUrl={root}", "-p:GitOpsConfigBranch=main", "-v:n");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        server.AssertHonoured();
        var tip = git.Tip("main")!;
        Assert.AreEqual(before, git.Commit(tip)!.Parents.Single());
        StringAssert.Contains(git.ReadText("main", Manifest), $"{environment.Registry}/team/sample-app:{tag}");
        StringAssert.Contains(git.Commit(tip)!.Message, "GitOps-Image-Digest: sha256:");
        Assert.AreEqual(1, server.RequestsTo(write).Count());
        Assert.AreEqual(calls, server.Requests.Count, string.Join("\n", server.Requests));
        StringAssert.Contains(publish.StandardOutput, "GitOps: deployed");
        Assert.IsFalse(publish.StandardOutput.Contains("GitOps: cloned", StringComparison.Ordinal), "nothing is cloned");
        Assert.AreEqual(0, server.Unauthorized.Count);
        Assert.IsFalse(publish.ToString().Contains(Token, StringComparison.Ordinal));
        var result = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(app.Root, "gitops-result.json", SearchOption.AllDirectories).Single())).RootElement;
        Assert.AreEqual(tip, result.GetProperty("configCommit").GetString());
    }
}
