using System.Text.Json;
using GitOps.Build.Signing;
using GitOps.Build.Tests.Signing;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsRollbackOnFailure=true on the standalone update, run in-process against a config repository on the local file
/// system and Argo CD's contract server with a scripted agent: Degraded on the deploy commit, then Healthy on its
/// signed revert (GITOPS163, the rollback in the result file); a branch that moved meanwhile is refused (GITOPS136 and
/// GITOPS160, nothing reverted); a rollback that cannot happen is refused before the push (GITOPS161) or warned about (GITOPS076).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RollbackTargetTests : ArgoCdWaitTargetTests
{
    private protected override IEnumerable<(string Name, string Value)> Defaults =>
        [("GitOpsArgoCdApplications", "shop-prod"), ("GitOpsRollbackOnFailure", "true")];

    [TestMethod]
    public void A_degraded_deploy_is_reverted_with_a_signed_commit_and_the_build_fails_with_GITOPS163_once_the_revert_is_healthy()
    {
        using var keys = new TestKeys();
        var (key, publicKey) = keys.Ssh("deploy");
        using var agent = new ArgoCdAgent { DeployCommit = () => remote.Tip("main") };
        agent.Script("shop-prod",
            ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Deployment web exceeded its progress deadline"),
            ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));
        using var project = Project(("GitOpsCommitSigningFormat", "ssh"));
        var environment = ArgoCd(agent);
        environment[CommitSigning.KeyVariable] = key;

        var run = project.Build("GitOpsUpdateConfig", environment);

        Assert.IsFalse(run.Succeeded, "the deploy failed, whatever the rollback did");
        CollectionAssert.AreEqual(new[] { "GITOPS163" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        var revert = remote.Tip("main");
        var deploy = remote.Git("rev-parse", "main^");
        Assert.AreEqual(before, remote.Git("rev-parse", "main~2"), "the deploy commit, then its revert");
        Assert.AreEqual(remote.Git("rev-parse", before + "^{tree}"), remote.Git("rev-parse", "main^{tree}"), "what ran before runs again");
        var message = run.Log.Errors[0].Message;
        StringAssert.Contains(message, $"deploy commit {deploy[..7]}");
        StringAssert.Contains(message, "Argo CD app shop-prod is Degraded");
        StringAssert.Contains(message, $"the revert commit {revert[..7]}");
        var trailers = Infrastructure.GitTrailers.Parse(remote.RawMessage(revert));
        Assert.AreEqual(deploy, trailers["GitOps-Rollback-Of"]);
        StringAssert.Contains(trailers["GitOps-Rollback-Verdict"], "Argo CD app shop-prod is Degraded: Deployment web exceeded its progress deadline");
        var allowed = keys.AllowedSigners(publicKey);
        var verified = TestKeys.VerifySsh(remote.Path, revert, allowed);
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        Assert.IsTrue(TestKeys.VerifySsh(remote.Path, deploy, allowed).Succeeded, "the deploy commit was signed the same way");
        Assert.AreEqual(2, agent.Gets.Count, "one look at the deploy, one at the revert");
        Assert.AreEqual("failure", run.Property("GitOpsDeployVerdict"));
        using var result = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsResultFile")));
        Assert.AreEqual("failure", result.RootElement.GetProperty("verdict").GetProperty("state").GetString());
        var rollback = result.RootElement.GetProperty("rollback");
        Assert.AreEqual("reverted", rollback.GetProperty("state").GetString());
        Assert.AreEqual(deploy, rollback.GetProperty("deployCommit").GetString());
        Assert.AreEqual(revert, rollback.GetProperty("revertCommit").GetString());
        Assert.AreEqual("success", rollback.GetProperty("verdict").GetProperty("state").GetString());
        Assert.AreEqual(revert, rollback.GetProperty("verdict").GetProperty("commit").GetString());
        Assert.IsFalse(run.ToString().Contains(ArgoCdAgent.Token, StringComparison.Ordinal));
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public void A_branch_that_moved_since_the_deploy_is_not_reverted_GITOPS160_after_the_deploys_GITOPS136()
    {
        string? competitor = null;
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", "{deploy}", "Degraded"));
        string? deploy = null;
        // While the build waits on the deploy, another deploy lands on the branch.
        agent.BeforeGet = answered =>
        {
            if (answered != 0) return;
            deploy = remote.Tip("main");
            competitor = remote.Change("main", "Deploy other:v9", new Dictionary<string, string> { ["apps/other/deployment.yaml"] = "image: registry.example.com/team/other:v9\n" });
        };
        agent.DeployCommit = () => deploy ?? remote.Tip("main");
        using var project = Project();

        var run = project.Build("GitOpsUpdateConfig", ArgoCd(agent));

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS136", "GITOPS160" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        Assert.AreEqual(competitor, remote.Tip("main"), "nothing was reverted or pushed over the later deploy");
        Assert.AreEqual(deploy, remote.Git("rev-parse", "main^"));
        StringAssert.Contains(run.Log.Errors[1].Message, $"is at {competitor![..7]} now, not at {deploy![..7]}");
        using var result = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsResultFile")));
        var rollback = result.RootElement.GetProperty("rollback");
        Assert.AreEqual("refused", rollback.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS160", rollback.GetProperty("code").GetString());
        Assert.AreEqual(1, agent.Gets.Count, "no revert, so no wait on one");
    }

    [TestMethod]
    public void A_rollback_with_a_push_branch_is_GITOPS161_before_anything_is_pushed()
    {
        using var project = Project(("GitOpsConfigPushBranch", "deploy/{Tag}"));

        var run = project.Build("GitOpsUpdateConfig", new Dictionary<string, string> { ["GITOPS_ARGOCD_SERVER"] = "argocd.example.com", ["GITOPS_ARGOCD_TOKEN"] = "t" });

        Assert.IsTrue(run.Log.ErrorCodes.Contains("GITOPS161"), run.ToString());
        StringAssert.Contains(run.Log.Errors.First(e => e.Code == "GITOPS161").Message, "GitOpsRollbackOnFailure=true");
        StringAssert.Contains(run.Log.Errors.First(e => e.Code == "GITOPS161").Message, "GitOpsConfigPushBranch 'deploy/{Tag}'");
        Assert.AreEqual(before, remote.Tip("main"));
    }

    /// <summary>
    /// A rollback reverts only what this build pushed onto the watched branch; a pull request's merge is someone else's
    /// push. Refused as an error, before the image is built (a publish, a release's project) or anything is committed
    /// (the update, a promotion), rather than found out after the merge: a warning would let the user believe a failed
    /// deploy is undone.
    /// </summary>
    [TestMethod]
    [DataRow("GitOpsResolveImageTag", false, DisplayName = "publish: before the image is built")]
    [DataRow("GitOpsResolveImageTag", true, DisplayName = "a release's project: before its image is built")]
    [DataRow("GitOpsUpdateConfig", false, DisplayName = "GitOpsUpdateConfig")]
    [DataRow("GitOpsPromote", false, DisplayName = "GitOpsPromote")]
    public void A_rollback_with_a_pull_request_is_GITOPS161_naming_both_properties_before_anything_is_pushed(string target, bool inRelease)
    {
        var global = new Dictionary<string, string>();
        if (target == "GitOpsResolveImageTag")
        {
            global["GitOpsPush"] = "true";
            global["ContainerRegistry"] = "registry.example.com";
        }
        if (inRelease)
            global["_GitOpsReleaseDirectory"] = Path.Combine(Path.GetTempPath(), "gitops-release-1-rollback");
        using var project = TargetsProject.Create(new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = "https://github.com/team/config.git",
            ["GitOpsManifestPath"] = Manifest,
            ["GitOpsImage"] = Image,
            ["GitOpsWaitForDeploy"] = "true",
            ["GitOpsArgoCdApplications"] = "shop-prod",
            ["GitOpsRollbackOnFailure"] = "true",
            ["GitOpsPullRequest"] = "true",
            ["GitOpsPromoteFrom"] = "staging",
            ["GitOpsPromoteTo"] = "production",
        }, global);

        var run = project.Build(target, new Dictionary<string, string> { ["GITOPS_ARGOCD_SERVER"] = "argocd.example.com", ["GITOPS_ARGOCD_TOKEN"] = "t" });

        Assert.IsFalse(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "GITOPS161" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        var message = run.Log.Errors[0].Message;
        StringAssert.Contains(message, "GitOpsRollbackOnFailure=true");
        StringAssert.Contains(message, "GitOpsPullRequest=true");
        StringAssert.Contains(message, "gitops/{Repository}-{Tag}");
        Assert.AreEqual("", run.Property("GitOpsConfigCommit"), "nothing was committed");
        Assert.AreEqual("", run.Property("GitOpsResolvedImageTag"), "the publish stopped before the image's tag, so before the image");
    }

    [TestMethod]
    public void A_rollback_without_the_wait_is_warning_GITOPS076_and_the_deploy_goes_on()
    {
        using var project = Project(("GitOpsWaitForDeploy", "false"));

        var run = project.Build("GitOpsUpdateConfig");

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.Contains(run.Log.WarningCodes.ToList(), "GITOPS076");
        Assert.AreNotEqual(before, remote.Tip("main"));
    }
}
