using System.Text.Json;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsWaitForDeploy=true on the standalone update and the promotion, run in-process against a config repository on
/// the local file system and Argo CD's contract server with a scripted agent: the build ends only with the agent's
/// verdict, which reaches GitOpsDeployVerdict, the result file, the CI outputs and the job summary; the token reaches
/// no log line and no file. Bad wait settings are refused before anything is pushed.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class WaitForDeployTargetTests : ArgoCdWaitTargetTests
{
    [TestMethod]
    public void The_build_succeeds_once_Argo_CD_reports_the_deploy_commit_healthy_and_says_so_everywhere()
    {
        using var agent = new ArgoCdAgent { DeployCommit = () => remote.Tip("main") };
        agent.Script("shop-prod",
            ArgoCdAgent.State("Synced", before, "Healthy"),
            ArgoCdAgent.State("OutOfSync", "{deploy}", "Healthy"),
            ArgoCdAgent.State("Synced", "{deploy}", "Progressing"),
            ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));
        using var project = Project(("GitOpsArgoCdApplications", "shop-prod"), ("GitOpsArgoCdRefresh", "true"));
        var outputs = Path.Combine(project.Root, "github-output");
        var summary = Path.Combine(project.Root, "github-summary.md");
        var environment = ArgoCd(agent);
        environment["GITHUB_ACTIONS"] = "true";
        environment["GITHUB_OUTPUT"] = outputs;
        environment["GITHUB_STEP_SUMMARY"] = summary;

        var run = project.Build("GitOpsUpdateConfig", environment);

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual("success", run.Property("GitOpsDeployVerdict"));
        var commit = remote.Tip("main");
        Assert.AreNotEqual(before, commit);
        Assert.AreEqual(4, agent.Gets.Count, "it waited through every state");
        Assert.AreEqual("normal", agent.Gets[0].QueryValue("refresh"), "the first look asks for a refresh");
        Assert.IsNull(agent.Gets[1].QueryValue("refresh"), "only the first");
        Assert.IsTrue(run.Log.Lines.Any(l => l.Contains("waiting for Argo CD app shop-prod: OutOfSync → Synced (1/1 healthy)", StringComparison.Ordinal)
                                             || l.Contains("waiting for Argo CD app shop-prod: OutOfSync → Progressing", StringComparison.Ordinal)), run.ToString());
        using var result = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsResultFile")));
        var verdict = result.RootElement.GetProperty("verdict");
        Assert.AreEqual("success", verdict.GetProperty("state").GetString());
        Assert.AreEqual(commit, verdict.GetProperty("commit").GetString());
        var target = verdict.GetProperty("targets")[0];
        Assert.AreEqual("shop-prod", target.GetProperty("name").GetString());
        Assert.AreEqual("success", target.GetProperty("result").GetString());
        Assert.AreEqual(JsonValueKind.Number, target.GetProperty("secondsToHealthy").ValueKind);
        Assert.AreEqual(JsonValueKind.Number, target.GetProperty("secondsToSync").ValueKind);
        Assert.AreEqual(Image, result.RootElement.GetProperty("image").GetString(), "the deploy's own facts stay");
        StringAssert.Contains(File.ReadAllText(outputs), "deploy-verdict=success\n");
        StringAssert.Contains(File.ReadAllText(summary), $"the agent's verdict on `{commit[..7]}`: success");
        StringAssert.Contains(File.ReadAllText(summary), "| Argo CD app shop\\-prod | Healthy |");
        foreach (var (where, text) in new[] { ("log", run.ToString()), ("result file", result.RootElement.ToString()), ("summary", File.ReadAllText(summary)) })
            Assert.IsFalse(text.Contains(ArgoCdAgent.Token, StringComparison.Ordinal), $"the Argo CD token is in the {where}");
        Assert.IsTrue(agent.Gets.All(g => g.Authorization == "Bearer " + ArgoCdAgent.Token));
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public void A_degraded_rollout_fails_the_build_with_GITOPS136_naming_the_app_after_the_commit_landed()
    {
        using var agent = new ArgoCdAgent { DeployCommit = () => remote.Tip("main") };
        agent.Script("shop-prod",
            ArgoCdAgent.State("Synced", "{deploy}", "Progressing"),
            ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Deployment web exceeded its progress deadline"));
        using var project = Project(("GitOpsArgoCdApplications", "shop-prod"));

        var run = project.Build("GitOpsUpdateConfig", ArgoCd(agent));

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS136" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, "Argo CD app shop-prod is Degraded");
        StringAssert.Contains(run.Log.Errors[0].Message, "Deployment web exceeded its progress deadline");
        Assert.AreNotEqual(before, remote.Tip("main"), "the commit landed; the verdict does not undo it");
        Assert.AreEqual("failure", run.Property("GitOpsDeployVerdict"));
        using var result = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsResultFile")));
        var verdict = result.RootElement.GetProperty("verdict");
        Assert.AreEqual("failure", verdict.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS136", verdict.GetProperty("code").GetString());
        var target = verdict.GetProperty("targets")[0];
        Assert.AreEqual("failure", target.GetProperty("result").GetString());
        StringAssert.Contains(target.GetProperty("detail").GetString(), "progress deadline");
    }

    [TestMethod]
    public void A_rollout_that_never_ends_is_GITOPS135_naming_what_is_pending_and_that_the_commit_landed()
    {
        using var agent = new ArgoCdAgent { DeployCommit = () => remote.Tip("main") };
        agent.Script("shop-prod", ArgoCdAgent.State("OutOfSync", before, "Healthy"));
        using var project = Project(("GitOpsArgoCdApplications", "shop-prod"), ("GitOpsWaitTimeout", "1"));

        var run = project.Build("GitOpsUpdateConfig", ArgoCd(agent));

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS135" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        var message = run.Log.Errors[0].Message;
        StringAssert.Contains(message, $"The deploy commit {remote.Tip("main")[..7]} landed on 'main'");
        StringAssert.Contains(message, "Still pending: Argo CD app shop-prod (OutOfSync");
        Assert.AreEqual("timeout", run.Property("GitOpsDeployVerdict"));
    }

    [TestMethod]
    public void A_promotion_waits_for_the_verdict_on_its_own_commit()
    {
        remote.Dispose();
        remote = ConfigRemote.Create("main", new Dictionary<string, string>
        {
            ["envs/staging/deployment.yaml"] = TestManifest.Deployment(Image),
            ["envs/production/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/app:initial"),
        });
        before = remote.Tip("main");
        using var agent = new ArgoCdAgent { DeployCommit = () => remote.Tip("main") };
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", before, "Healthy"), ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));
        var properties = new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = remote.Path,
            ["GitOpsWaitForDeploy"] = "true",
            ["GitOpsArgoCdApplications"] = "shop-prod",
            ["ContainerRegistry"] = "registry.example.com",
            ["ContainerRepository"] = "team/app",
        };
        using var project = TargetsProject.Create(properties, body: """
              <ItemGroup>
                <GitOpsEnvironment Include="staging" ManifestPath="envs/staging/deployment.yaml" />
                <GitOpsEnvironment Include="production" ManifestPath="envs/production/deployment.yaml" />
              </ItemGroup>
            """);
        project.SetGlobalProperty("GitOpsPromoteFrom", "staging");
        project.SetGlobalProperty("GitOpsPromoteTo", "production");

        var run = project.Build("GitOpsPromote", ArgoCd(agent));

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreNotEqual(before, remote.Tip("main"));
        Assert.AreEqual("success", run.Property("GitOpsDeployVerdict"));
        Assert.AreEqual(2, agent.Gets.Count);
    }

    [TestMethod]
    public void Bad_wait_settings_are_refused_before_anything_is_pushed()
    {
        foreach (var (code, more, environment) in new (string, (string, string)[], Dictionary<string, string>)[]
                 {
                     ("GITOPS142", [], []),
                     ("GITOPS146", [("GitOpsArgoCdApplications", "shop-prod"), ("GitOpsConfigPushBranch", "deploy/{Tag}")], []),
                     ("GITOPS138", [("GitOpsArgoCdApplications", "shop-prod")], new() { ["GITOPS_ARGOCD_SERVER"] = "argocd.example.com" }),
                     ("GITOPS137", [("GitOpsArgoCdApplications", "shop-prod")], new() { ["GITOPS_ARGOCD_SERVER"] = "ftp://argocd", ["GITOPS_ARGOCD_TOKEN"] = "t" }),
                     ("GITOPS139", [("GitOpsArgoCdApplications", "Shop Prod")], []),
                     ("GITOPS037", [("GitOpsDeployStatusContexts", "kustomization/*"), ("GitOpsWaitTimeout", "0")], []),
                     ("GITOPS008", [("GitOpsDeployStatusContexts", "kustomization/*"), ("GitOpsArgoCdRefresh", "maybe")], []),
                 })
        {
            using var project = Project(more);
            var run = project.Build("GitOpsUpdateConfig", environment);
            CollectionAssert.AreEqual(new[] { code }, run.Log.ErrorCodes.ToArray(), run.ToString());
            Assert.AreEqual(before, remote.Tip("main"), $"{code}: nothing was pushed");
        }
    }

    [TestMethod]
    public void Without_GitOpsWaitForDeploy_nothing_waits_and_nothing_committed_is_nothing_to_wait_on()
    {
        using (var project = Project(("GitOpsWaitForDeploy", "false"), ("GitOpsArgoCdApplications", "shop-prod")))
        {
            var run = project.Build("GitOpsUpdateConfig");
            Assert.IsTrue(run.Succeeded, run.ToString());
            Assert.AreEqual("", run.Property("GitOpsDeployVerdict"));
        }
        using (var project = Project(("GitOpsArgoCdApplications", "shop-prod"), ("GitOpsDryRun", "true")))
        {
            using var agent = new ArgoCdAgent();
            var run = project.Build("GitOpsUpdateConfig", ArgoCd(agent));
            Assert.IsTrue(run.Succeeded, run.ToString());
            Assert.AreEqual("", run.Property("GitOpsDeployVerdict"));
            Assert.AreEqual(0, agent.Gets.Count, "a dry run commits nothing, so nothing is waited for");
        }
    }

    [TestMethod]
    public void GitOpsStatus_shows_the_agents_last_verdict_where_a_source_is_configured()
    {
        using var project = Project(("GitOpsWaitForDeploy", "false"));
        Assert.IsTrue(project.Build("GitOpsUpdateConfig").Succeeded);
        var deploy = remote.Tip("main");
        using var agent = new ArgoCdAgent { DeployCommit = () => deploy };
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Back-off pulling image"));
        project.SetGlobalProperty("GitOpsArgoCdApplications", "shop-prod");

        var run = project.Build("GitOpsStatus", ArgoCd(agent));

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(1, agent.Gets.Count, "one look, no wait");
        StringAssert.Contains(run.ToString(), "GitOps: default: the agent's last verdict: failure: Argo CD app shop-prod Degraded");
        using (var status = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsStatusFile"))))
        {
            var verdict = status.RootElement.GetProperty("environments")[0].GetProperty("verdict");
            Assert.AreEqual("failure", verdict.GetProperty("state").GetString());
            Assert.AreEqual("shop-prod", verdict.GetProperty("targets")[0].GetProperty("name").GetString());
            StringAssert.Contains(verdict.GetProperty("targets")[0].GetProperty("detail").GetString(), "Back-off pulling image");
        }

        // Argo CD not reachable as configured: the verdict is unknown, with warning GITOPS075; the report stands.
        var unknown = project.Build("GitOpsStatus");
        Assert.IsTrue(unknown.Succeeded, unknown.ToString());
        CollectionAssert.Contains(unknown.Log.WarningCodes.ToArray(), "GITOPS075");
        using var second = JsonDocument.Parse(File.ReadAllText(unknown.Property("GitOpsStatusFile")));
        var row = second.RootElement.GetProperty("environments")[0];
        Assert.AreEqual("unknown", row.GetProperty("verdict").GetProperty("state").GetString());
        StringAssert.Contains(row.GetProperty("verdict").GetProperty("error").GetString(), "GITOPS138");
        Assert.AreEqual(deploy, row.GetProperty("deployCommit").GetString());
    }
}
