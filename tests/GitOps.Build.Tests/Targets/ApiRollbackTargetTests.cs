using System.Text.Json;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Verdict;
using static GitOps.Build.Tests.Targets.ApiEnvironments;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsRollbackOnFailure with GitOpsCommitMethod=api, in-process, on each forge's contract server (held to its
/// vendored API description, with a real object store) and Argo CD's: the deploy commit, the branch's tip and the
/// tip's parent are read through the forge's API, and the revert is made by it. The config repository's URL names a
/// host that cannot exist (.invalid), so a clone, had one been tried, would fail the build.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ApiRollbackTargetTests
{
    private const string Application = "shop-prod";

    private static ApiForgeServer Start(string name, out string before) => Start(name, out before, _ => { });

    private static ApiForgeServer Start(string name, out string before, Action<SimulatedGitStore> more)
    {
        var seeded = "";
        var forge = ApiForgeServer.Start(name, store =>
        {
            store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "initial"),
                [ProductionPath] = Kustomization("production", "initial"),
            }, "Initial config");
            seeded = store.Tip("main")!;
            more(store);
        });
        before = seeded;
        return forge;
    }

    private static TargetsProject Project(ApiForgeServer forge) => TargetsProject.Create(new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = forge.ConfigUrl,
            ["GitOpsConfigBranch"] = "main",
            ["GitOpsCommitMethod"] = "api",
            ["GitOpsForge"] = forge.Name,
            ["GitOpsForgeApiUrl"] = forge.ApiRoot.ToString(),
            ["GitOpsManifestPath"] = StagingPath,
            ["GitOpsImage"] = Repository + ":v2",
            ["GitOpsWaitForDeploy"] = "true",
            ["GitOpsWaitTimeout"] = "60",
            ["GitOpsArgoCdApplications"] = Application,
            ["GitOpsRollbackOnFailure"] = "true",
        });

    /// <summary>The update, its wait and (the agent's verdict a failure) its rollback; <paramref name="project"/> keeps the result file.</summary>
    private static TargetRun Deploy(TargetsProject project, ApiForgeServer forge, ArgoCdAgent agent) =>
        project.Build("GitOpsUpdateConfig", ForgeAndArgoCd(forge, agent));

    private static JsonElement Rollback(TargetRun run)
    {
        using var result = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsResultFile")));
        return result.RootElement.GetProperty("rollback").Clone();
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_degraded_deploy_is_reverted_through_the_forge_API_and_nothing_is_cloned(string name)
    {
        using var forge = Start(name, out var before);
        var git = forge.Git;
        using var agent = new ArgoCdAgent { DeployCommit = () => git.Tip("main")! };
        agent.Script(Application,
            ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Deployment web exceeded its progress deadline"),
            ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));

        using var project = Project(forge);

        var run = Deploy(project, forge, agent);

        Assert.IsFalse(run.Succeeded, "the deploy failed, whatever the rollback did");
        CollectionAssert.AreEqual(new[] { "GITOPS163" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        forge.Server.AssertHonoured();
        agent.Server.AssertHonoured();
        var revert = git.Tip("main")!;
        var deploy = git.Commit(revert)!.Parents.Single();
        Assert.AreEqual(before, git.Commit(deploy)!.Parents.Single(), "the deploy commit, then its revert");
        Assert.AreEqual(git.Commit(before)!.Tree, git.Commit(revert)!.Tree, "what ran before runs again");
        Assert.AreEqual(Kustomization("staging", "initial"), git.ReadText("main", StagingPath));
        var trailers = GitTrailers.Parse(git.Commit(revert)!.Message);
        Assert.AreEqual(deploy, trailers["GitOps-Rollback-Of"]);
        StringAssert.Contains(trailers["GitOps-Rollback-Verdict"], $"Argo CD app {Application} is Degraded: Deployment web exceeded its progress deadline");
        StringAssert.Contains(run.Log.Errors[0].Message, $"the revert commit {revert[..7]}");
        var rollback = Rollback(run);
        Assert.AreEqual("reverted", rollback.GetProperty("state").GetString());
        Assert.AreEqual(deploy, rollback.GetProperty("deployCommit").GetString());
        Assert.AreEqual(revert, rollback.GetProperty("revertCommit").GetString());
        Assert.AreEqual("success", rollback.GetProperty("verdict").GetProperty("state").GetString());
        Assert.AreEqual(2, agent.Gets.Count, "one look at the deploy, one at the revert");
        AssertNothingCloned(run);
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_branch_that_moved_since_the_deploy_is_read_through_the_API_and_refused_GITOPS160(string name)
    {
        using var forge = Start(name, out _);
        var git = forge.Git;
        string? deploy = null, competitor = null;
        using var agent = new ArgoCdAgent { DeployCommit = () => deploy ?? git.Tip("main")! };
        agent.Script(Application, ArgoCdAgent.State("Synced", "{deploy}", "Degraded"));
        // While the build waits on the deploy, another deploy lands on the branch.
        agent.BeforeGet = answered =>
        {
            if (answered != 0) return;
            deploy = git.Tip("main");
            competitor = git.CommitText("main", new Dictionary<string, string> { [ProductionPath] = Kustomization("production", "v9") }, DeployMessage("v9"));
        };

        using var project = Project(forge);

        var run = Deploy(project, forge, agent);

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS136", "GITOPS160" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        forge.Server.AssertHonoured();
        Assert.AreEqual(competitor, git.Tip("main"), "nothing was reverted over the later deploy");
        StringAssert.Contains(run.Log.Errors[1].Message, $"is at {competitor![..7]} now, not at {deploy![..7]}");
        var rollback = Rollback(run);
        Assert.AreEqual("refused", rollback.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS160", rollback.GetProperty("code").GetString());
        Assert.AreEqual(1, agent.Gets.Count, "no revert, so no wait on one");
        AssertNothingCloned(run);
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_revert_that_loses_its_race_writes_nothing_and_is_refused_GITOPS160(string name)
    {
        string? competitor = null;
        var updates = 0;
        using var forge = Start(name, out _, seeded =>
        {
            // The deploy's write goes through; just before the revert's, another deploy of the same manifest lands.
            seeded.BeforeRefUpdate = branch =>
            {
                if (++updates == 2)
                    competitor = seeded.CommitText(branch, new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "v9") }, DeployMessage("v9"));
            };
        });
        var git = forge.Git;
        using var agent = new ArgoCdAgent { DeployCommit = () => git.Tip("main")! };
        agent.Script(Application, ArgoCdAgent.State("Synced", "{deploy}", "Degraded"));

        using var project = Project(forge);

        var run = Deploy(project, forge, agent);

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS136", "GITOPS160" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        forge.Server.AssertHonoured();
        Assert.IsNotNull(competitor, "the revert's write was tried");
        Assert.AreEqual(competitor, git.Tip("main"), "the revert lost its race: nothing written over the later deploy");
        Assert.AreEqual(Kustomization("staging", "v9"), git.ReadText("main", StagingPath));
        var rollback = Rollback(run);
        Assert.AreEqual("refused", rollback.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS160", rollback.GetProperty("code").GetString());
        AssertNothingCloned(run);
    }
}
