using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPullRequest=true -p:GitOpsPullRequestAutoMerge=true -p:GitOpsWaitForDeploy=true` against
/// the real registry and HTTP git server of build/env, and the GitHub contract server (held to GitHub's API
/// description) for the pull request, its auto-merge and the statuses: the build waits for the merge, which the
/// contract makes on the real git server when its script says so (as GitHub's auto-merge would once checks pass), then
/// for the agent's statuses on the commit the merge made on main. No forge or agent can run here: the contract server
/// and the scripted agent are the fakes.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class PullRequestWaitPublishTests
{
    private const string Repository = "team/sample-app";

    [TestMethod]
    public void A_publish_waits_for_the_auto_merge_then_for_the_statuses_on_the_merge_commit()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var main = config.Head;
        var head = $"gitops/{Repository}-{app.Head[..7]}";
        string? merged = null;
        github.MergeWith = _ => merged = config.Merge(head, $"Merge pull request #1 from {head}");
        // GitHub merges once the pull request's checks pass: on the third read of it here.
        github.ScriptPull(1, "open", "open", "merged");
        var agent = new StatusAgent(github, () => merged ?? "");
        agent.Statuses(StatusAgent.Status("kustomization/apps", "pending", "Reconciliation in progress"));
        agent.Statuses(StatusAgent.Status("kustomization/apps", "success", "Applied revision: main@sha1:merged", "https://flux.example.com/apps"));
        var variables = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token };

        var publish = app.PublishWithGitOps(environment, config.Url, variables,
        [
            "-p:GitOpsPullRequest=true", "-p:GitOpsPullRequestAutoMerge=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}",
            "-p:GitOpsWaitForDeploy=true", "-p:GitOpsDeployStatusContexts=kustomization/*", "-p:GitOpsWaitTimeout=120",
        ]);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        github.AssertHonoured();
        Assert.AreEqual("merge", github.AutoMerge[1].ToLowerInvariant(), "auto-merge was asked for");
        Assert.IsNotNull(merged, "the build waited until the pull request was merged");
        Assert.AreEqual(merged, config.Head);
        Assert.AreEqual(main, config.Parent(merged), "the merge commit's first parent is the old main");
        // The wait read the pull request until it was merged, then the statuses of the merge commit only.
        Assert.AreEqual(3, github.Server.RequestsTo("pulls/get").Count());
        Assert.IsTrue(github.Server.RequestsTo("repos/list-commit-statuses-for-ref").All(r => r.PathValues["ref"] == merged));
        Assert.AreEqual(2, agent.Reads);
        StringAssert.Contains(publish.StandardOutput, "pull request #1 (https://github.example/");
        StringAssert.Contains(publish.StandardOutput, ": open → merged");
        StringAssert.Contains(publish.StandardOutput, $"merged into 'main' as {merged[..7]}");
        StringAssert.Contains(publish.StandardOutput, "GitOps: waiting for status kustomization/apps: pending → success");
        Assert.IsFalse(publish.ToString().Contains(GitHubContract.Token, StringComparison.Ordinal));
    }

}
