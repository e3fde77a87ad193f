using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsWaitForDeploy=true` against the real registry and HTTP git server of
/// build/env, with the agent's side played by contract servers (no cluster, Argo CD or forge can run here): GitHub's
/// statuses (held to GitHub's description) and Argo CD's API (held to its swagger.json), each scripted to move over
/// time. The bounds asserted on Ctrl+C are hang detectors, not timings.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class DeployVerdictPublishTests
{
    private const string Repository = "team/sample-app";

    [TestMethod]
    public void A_direct_push_waits_for_the_commit_statuses_on_its_deploy_commit()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var before = config.Head;
        var statuses = new StatusAgent(github, () => config.Head);
        statuses.Statuses(StatusAgent.Status("kustomization/sample-app-staging/1a2b3c", "pending", "Reconciliation in progress"));
        statuses.Statuses(StatusAgent.Status("kustomization/sample-app-staging/1a2b3c", "success", "Applied revision: main"));

        var publish = app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?> { ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token },
            "-p:GitOpsWaitForDeploy=true", "-p:GitOpsDeployStatusContexts=kustomization/sample-app-staging*", "-p:GitOpsForge=GitHub",
            $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}", "-v:n");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreNotEqual(before, config.Head);
        Assert.IsTrue(statuses.Reads >= 2, "it waited until the status ended");
        StringAssert.Contains(publish.StandardOutput, "waiting for status kustomization/sample-app-staging/1a2b3c: pending → success");
        var verdict = app.Result().GetProperty("verdict");
        Assert.AreEqual("success", verdict.GetProperty("state").GetString());
        Assert.AreEqual(config.Head, verdict.GetProperty("commit").GetString());
        Assert.IsTrue(github.Server.Requests.All(r => r.Authorization == "Bearer " + GitHubContract.Token));
        github.AssertHonoured();
    }

    [TestMethod]
    public void Argo_CD_healthy_passes_Degraded_fails_naming_the_app_after_the_commit_landed_and_the_token_is_nowhere()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var agent = new ArgoCdAgent { DeployCommit = () => config.Head };
        var before = config.Head;
        agent.Script("sample-app-staging",
            ArgoCdAgent.State("Synced", before, "Healthy"),
            ArgoCdAgent.State("Synced", "{deploy}", "Progressing"),
            ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));
        var argoCd = agent.Variables();

        var publish = app.PublishWithGitOps(environment, config.Url, argoCd,
            "-p:GitOpsWaitForDeploy=true", "-p:GitOpsArgoCdApplications=sample-app-staging", "-v:n");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual("success", app.Result().GetProperty("verdict").GetProperty("state").GetString());
        StringAssert.Contains(publish.StandardOutput, "waiting for Argo CD app sample-app-staging");
        agent.Server.AssertHonoured();

        // The next deploy degrades: the build fails with the app's name and message, and the commit stays.
        var landed = config.Head;
        agent.Script("sample-app-staging",
            ArgoCdAgent.State("Synced", "{deploy}", "Progressing"),
            ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Deployment web exceeded its progress deadline"));
        var degraded = app.UpdateConfig(config.Url, new Dictionary<string, string?>(argoCd) { ["GITOPS_TOKEN"] = environment.GitToken },
            $"127.0.0.1:5000/{Repository}:bbbbbbb", "-p:GitOpsWaitForDeploy=true", "-p:GitOpsArgoCdApplications=sample-app-staging");

        Assert.IsFalse(degraded.Succeeded, degraded.ToString());
        Assert.AreNotEqual(landed, config.Head, "the commit landed; the verdict does not undo it");
        StringAssert.Contains(degraded.StandardOutput, "error GITOPS136");
        StringAssert.Contains(degraded.StandardOutput, "Argo CD app sample-app-staging is Degraded");
        StringAssert.Contains(degraded.StandardOutput, "Deployment web exceeded its progress deadline");
        var verdict = app.Result().GetProperty("verdict");
        Assert.AreEqual("failure", verdict.GetProperty("state").GetString());
        Assert.AreEqual(config.Head, verdict.GetProperty("commit").GetString());
        foreach (var (where, text) in new[] { ("publish output", publish.ToString()), ("update output", degraded.ToString()), ("result file", app.Result().ToString()) })
            Assert.IsFalse(text.Contains(ArgoCdAgent.Token, StringComparison.Ordinal), $"the Argo CD token is in the {where}");
        Assert.IsTrue(agent.Gets.All(g => g.Authorization == "Bearer " + ArgoCdAgent.Token));
    }

    [TestMethod]
    public void Ctrl_C_during_the_wait_stops_the_build_at_once_with_GITOPS145_and_the_commit_stays()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var agent = new ArgoCdAgent();
        var before = config.Head;
        agent.Script("sample-app-staging", ArgoCdAgent.State("OutOfSync", before, "Healthy"));
        using var process = app.StartDotnet(
            new Dictionary<string, string?>(agent.Variables()) { ["GITOPS_TOKEN"] = environment.GitToken },
            "msbuild", "-t:GitOpsUpdateConfig", "-v:n", $"-p:GitOpsImage=127.0.0.1:5000/{Repository}:ccccccc",
            $"-p:GitOpsConfigRepository={config.Url}", "-p:GitOpsWaitForDeploy=true", "-p:GitOpsArgoCdApplications=sample-app-staging",
            "-p:GitOpsWaitTimeout=3600");

        Assert.IsTrue(process.WaitForOutput("waiting for Argo CD app sample-app-staging", TimeSpan.FromMinutes(3)), "the wait never started:\n" + process.Output);
        process.Interrupt();

        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(30)), "still running 30 s after Ctrl+C:\n" + process.Output);
        var text = process.Output;
        Assert.AreNotEqual(0, process.ExitCode, text);
        StringAssert.Contains(text, "GITOPS145");
        Assert.IsFalse(text.Contains("MSB4018", StringComparison.Ordinal), text);
        Assert.IsFalse(text.Contains(ArgoCdAgent.Token, StringComparison.Ordinal), "the Argo CD token is in the output");
        Assert.AreNotEqual(before, config.Head, "the commit had landed and stays");
    }


}
