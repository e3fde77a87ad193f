using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsCommitMethod=api` onto the config branch itself, on GitHub, GitLab and
/// Azure DevOps (<see cref="ApiPublishTests"/>).
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("Registry")]
public sealed class ApiCommitPublishTests : ApiPublishTests
{
    [TestMethod]
    public void A_publish_commits_through_the_GitHub_API_with_no_clone()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var github = new GitHubContract();
        var before = Seed(github.Git);
        var tag = app.Head[..7];

        var publish = Publish(app, environment, "https://github.invalid/team/config.git",
            new Dictionary<string, string?> { ["GITOPS_TOKEN"] = GitHubContract.Token }, "GitHub", github.Server.ApiRoot);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        github.AssertHonoured();
        var tip = github.Git.Tip("main")!;
        Assert.AreEqual(before, github.Git.Commit(tip)!.Parents.Single());
        StringAssert.Contains(github.Git.ReadText("main", Manifest), $"{environment.Registry}/team/sample-app:{tag}");
        StringAssert.Contains(github.Git.Commit(tip)!.Message, "GitOps-Image-Digest: sha256:");
        Assert.AreEqual(6, github.Server.Requests.Count, string.Join("\n", github.Server.Requests));
        StringAssert.Contains(publish.StandardOutput, "through the GitHub API");
        StringAssert.Contains(publish.StandardOutput, "GitOps: deployed");
        AssertNothingCloned(publish);
        Assert.IsFalse(publish.ToString().Contains(GitHubContract.Token, StringComparison.Ordinal));
        Assert.AreEqual(tip, ResultFile(app).GetProperty("configCommit").GetString());
    }

    [TestMethod]
    [DataRow("GitLab", "https://gitlab.invalid/team/platform/config.git", "postApiV4ProjectsIdRepositoryCommits", 5)]
    [DataRow("AzureDevOps", "https://azure.invalid/contoso/Fabrikam/_git/config", "Pushes_Create", 6)]
    public void A_publish_commits_through_the_forge_API_with_no_clone(string forge, string configUrl, string write, int calls)
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        var git = new SimulatedGitStore();
        var before = Seed(git);
        var (server, root) = forge == "GitLab"
            ? GitLabContract.Start(new SimulatedRepository(), "team/platform/config", git)
            : AzureDevOpsContract.Start(new SimulatedRepository(), "Fabrikam", "config", git);
        using var owned = server;
        // A token the build could only have got from the environment: it must reach the forge, and no log.
        const string Token = "forge-token-4711";
        server.AcceptedAuthorizations.Clear();
        server.AcceptedAuthorizations.Add(forge == "GitLab" ? "Bearer " + Token : "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + Token)));
        var tag = app.Head[..7];

        var publish = Publish(app, environment, configUrl, new Dictionary<string, string?> { ["GITOPS_TOKEN"] = Token }, forge, root);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        server.AssertHonoured();
        var tip = git.Tip("main")!;
        Assert.AreEqual(before, git.Commit(tip)!.Parents.Single());
        StringAssert.Contains(git.ReadText("main", Manifest), $"{environment.Registry}/team/sample-app:{tag}");
        StringAssert.Contains(git.Commit(tip)!.Message, "GitOps-Image-Digest: sha256:");
        Assert.AreEqual(1, server.RequestsTo(write).Count());
        Assert.AreEqual(calls, server.Requests.Count, string.Join("\n", server.Requests));
        StringAssert.Contains(publish.StandardOutput, "GitOps: deployed");
        AssertNothingCloned(publish);
        Assert.AreEqual(0, server.Unauthorized.Count);
        Assert.IsFalse(publish.ToString().Contains(Token, StringComparison.Ordinal));
        Assert.AreEqual(tip, ResultFile(app).GetProperty("configCommit").GetString());
    }
}
