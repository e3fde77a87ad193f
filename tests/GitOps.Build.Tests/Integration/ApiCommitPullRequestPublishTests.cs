using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsCommitMethod=api -p:GitOpsPullRequest=true` on Gitea and Bitbucket:
/// the forge's contract server makes the commit on the pull request's branch and opens the pull request
/// (<see cref="ApiPublishTests"/>).
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("Registry")]
public sealed class ApiCommitPullRequestPublishTests : ApiPublishTests
{
    [TestMethod]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_publish_commits_through_the_forge_API_onto_the_pull_requests_branch_and_opens_it(string forge)
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        var state = new SimulatedRepository();
        var git = new SimulatedGitStore();
        var main = Seed(git);
        var (server, apiRoot) = forge == "Gitea" ? GiteaContract.Start(state, "team", "config", git) : BitbucketContract.Start(state, "team", "config", git);
        using var _ = server;
        var tag = app.Head[..7];
        var head = $"gitops/team/sample-app-{tag}";

        var publish = Publish(app, environment, $"https://{forge.ToLowerInvariant()}.invalid/team/config.git",
            new Dictionary<string, string?> { ["GITOPS_FORGE_TOKEN"] = "good" }, forge, apiRoot, "-p:GitOpsPullRequest=true");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        server.AssertHonoured();
        Assert.AreEqual(main, git.Tip("main"), "the base branch is untouched: the commit waits in the pull request");
        var tip = git.Tip(head) ?? throw new AssertFailedException($"no branch {head}: {string.Join(", ", git.Branches.Keys)}");
        var commit = git.Commit(tip)!;
        Assert.AreEqual(main, commit.Parents.Single());
        Assert.AreEqual(Sample.Replace($"{environment.Registry}/team/sample-app:initial", $"{environment.Registry}/team/sample-app:{tag}", StringComparison.Ordinal), git.ReadText(head, Manifest),
            "only the image reference's bytes changed");
        StringAssert.Contains(commit.Message, "GitOps-Image-Digest: sha256:");
        var pull = state.Pulls.Single();
        Assert.AreEqual(head, pull.Head);
        Assert.AreEqual("main", pull.Base);
        StringAssert.Contains(publish.StandardOutput, $"through the {forge} API");
        StringAssert.Contains(publish.StandardOutput, "GitOps: opened pull request");
        AssertNothingCloned(publish);
        Assert.AreEqual(0, server.Unauthorized.Count);
        var result = ResultFile(app);
        Assert.AreEqual(tip, result.GetProperty("configCommit").GetString());
        Assert.AreEqual(pull.Number, result.GetProperty("pullRequest").GetProperty("number").GetInt64());
    }
}
