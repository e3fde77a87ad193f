using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsWaitForDeploy=true -p:GitOpsRollbackOnFailure=true` against the real
/// registry and HTTP git server of build/env, with Argo CD played by its contract server (no cluster or Argo CD can run
/// here): a Degraded deploy is reverted on the server's branch and the build fails with GITOPS163; a branch that moved
/// while the build waited is left alone (GITOPS136, GITOPS160).
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class RollbackPublishTests
{
    private const string Application = "sample-app-staging";

    [TestMethod]
    public void A_degraded_deploy_is_reverted_on_the_git_server_and_the_build_fails_with_GITOPS163()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var agent = new ArgoCdAgent { DeployCommit = () => config.Head };
        var before = config.Head;
        // One look at the deploy (Degraded), then the revert is the branch's tip: Healthy.
        agent.Script(Application,
            ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Deployment web exceeded its progress deadline"),
            ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));

        var publish = app.PublishWithGitOps(environment, config.Url, agent.Variables(),
            "-p:GitOpsWaitForDeploy=true", $"-p:GitOpsArgoCdApplications={Application}", "-p:GitOpsRollbackOnFailure=true", "-v:n");

        Assert.IsFalse(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "error GITOPS163");
        Assert.IsFalse(publish.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), publish.ToString());
        var revert = config.Head;
        var deploy = config.Parent(revert);
        Assert.AreEqual(before, config.Parent(deploy), "the deploy commit, then its revert, on the server's branch");
        Assert.AreNotEqual(before, deploy);
        Assert.AreEqual(deploy, config.Trailers(revert)["GitOps-Rollback-Of"]);
        CollectionAssert.AreEqual(config.ReadFile(TestConfigRepository.DeploymentPath, before), config.ReadFile(TestConfigRepository.DeploymentPath, revert),
            "what ran before runs again");
        var result = app.Result();
        Assert.AreEqual("failure", result.GetProperty("verdict").GetProperty("state").GetString());
        var rollback = result.GetProperty("rollback");
        Assert.AreEqual("reverted", rollback.GetProperty("state").GetString());
        Assert.AreEqual(deploy, rollback.GetProperty("deployCommit").GetString());
        Assert.AreEqual(revert, rollback.GetProperty("revertCommit").GetString());
        Assert.AreEqual("success", rollback.GetProperty("verdict").GetProperty("state").GetString());
        Assert.AreEqual(2, agent.Gets.Count, "one look at the deploy, one at the revert");
        Assert.IsFalse(publish.ToString().Contains(ArgoCdAgent.Token, StringComparison.Ordinal), "the Argo CD token is in the output");
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public void A_branch_that_moved_while_waiting_is_not_reverted_GITOPS136_and_GITOPS160()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var agent = new ArgoCdAgent();
        var before = config.Head;
        string? deploy = null;
        string? other = null;
        agent.Script(Application, ArgoCdAgent.State("Synced", "{deploy}", "Degraded"));
        // While the build waits on its deploy, another pipeline's deploy lands on the server's branch.
        agent.BeforeGet = answered =>
        {
            if (answered != 0) return;
            deploy = config.Head;
            other = config.Push("apps/other/deployment.yaml", "image: 127.0.0.1:5000/team/other:v9\n", "Deploy other:v9");
        };
        agent.DeployCommit = () => deploy ?? config.Head;

        var publish = app.PublishWithGitOps(environment, config.Url, agent.Variables(),
            "-p:GitOpsWaitForDeploy=true", $"-p:GitOpsArgoCdApplications={Application}", "-p:GitOpsRollbackOnFailure=true", "-v:n");

        Assert.IsFalse(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "error GITOPS136");
        StringAssert.Contains(publish.StandardOutput, "error GITOPS160");
        Assert.IsFalse(publish.StandardOutput.Contains("error GITOPS163", StringComparison.Ordinal), publish.ToString());
        Assert.IsNotNull(other, "the agent was never asked");
        Assert.AreEqual(other, config.Head, "nothing was reverted or pushed over the other deploy");
        Assert.AreEqual(deploy, config.Parent(other));
        Assert.AreEqual(before, config.Parent(deploy!));
        StringAssert.Contains(publish.StandardOutput, $"is at {other[..7]} now, not at {deploy![..7]}");
        var rollback = app.Result().GetProperty("rollback");
        Assert.AreEqual("refused", rollback.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS160", rollback.GetProperty("code").GetString());
        Assert.AreEqual(1, agent.Gets.Count, "no revert, so no wait on one");
    }


}
