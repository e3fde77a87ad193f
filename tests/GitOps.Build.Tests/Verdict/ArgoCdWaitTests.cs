using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict;
using GitOps.Build.Verdict.ArgoCd;

namespace GitOps.Build.Tests.Verdict;

/// <summary>
/// The wait on Argo CD's API against a contract server held to Argo CD's swagger.json, with a scripted agent moving
/// the application's state between polls, and a real config repository for "the deploy commit or a descendant".
/// </summary>
[TestClass]
public sealed class ArgoCdWaitTests
{
    private static readonly (string, string, string, string?)[] ThreeOfFour =
        [("Deployment", "web", "Healthy", null), ("Service", "web", "Healthy", null), ("Ingress", "web", "Healthy", null), ("Deployment", "worker", "Progressing", "Waiting for rollout")];

    private static readonly (string, string, string, string?)[] AllFour =
        [("Deployment", "web", "Healthy", null), ("Service", "web", "Healthy", null), ("Ingress", "web", "Healthy", null), ("Deployment", "worker", "Healthy", null)];

    [TestMethod]
    public async Task OutOfSync_then_Progressing_then_Healthy_is_a_verdict_with_timings_and_one_line_per_change()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod",
            ArgoCdAgent.State("OutOfSync", history.Deploy, "Healthy", resources: AllFour),
            ArgoCdAgent.State("OutOfSync", history.Deploy, "Healthy", resources: AllFour),
            ArgoCdAgent.State("Synced", history.Deploy, "Progressing", resources: ThreeOfFour),
            ArgoCdAgent.State("Synced", history.Deploy, "Progressing", resources: ThreeOfFour),
            ArgoCdAgent.State("Synced", history.Deploy, "Healthy", resources: AllFour));
        var log = new RecordingLog();

        var verdict = await Wait(agent, history, "shop-prod", log, refresh: true);

        Assert.IsTrue(verdict.Succeeded);
        var target = verdict.Targets.Single();
        Assert.AreEqual(("Argo CD app", "shop-prod", TargetState.Succeeded), (target.Source, target.Name, target.State));
        Assert.IsNotNull(target.SecondsToSync);
        Assert.IsNotNull(target.SecondsToHealthy);
        Assert.IsTrue(target.SecondsToHealthy >= target.SecondsToSync);
        var progress = log.Important.Where(l => l.StartsWith("GitOps: waiting for Argo CD app shop-prod", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(new[]
        {
            "GitOps: waiting for Argo CD app shop-prod: OutOfSync",
            "GitOps: waiting for Argo CD app shop-prod: OutOfSync → Progressing (3/4 healthy)",
            "GitOps: waiting for Argo CD app shop-prod: Progressing (3/4 healthy) → Healthy",
        }, progress, string.Join("\n", log.Important));
        Assert.AreEqual(5, agent.Gets.Count);
        Assert.AreEqual("normal", agent.Gets[0].QueryValue("refresh"), "the first look asks for a refresh");
        Assert.IsTrue(agent.Gets.Skip(1).All(g => g.QueryValue("refresh") is null), "only the first");
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task Progressing_then_Degraded_fails_with_the_applications_message_and_its_unhealthy_resources()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod",
            ArgoCdAgent.State("Synced", history.Deploy, "Progressing", resources: ThreeOfFour),
            ArgoCdAgent.State("Synced", history.Deploy, "Degraded", healthMessage: "1 of 4 resources degraded",
                resources: [("Deployment", "web", "Healthy", null), ("Deployment", "worker", "Degraded", "Deployment \"worker\" exceeded its progress deadline")]));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(agent, history, "shop-prod", new RecordingLog()));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, history.Deploy[..7]);
        StringAssert.Contains(error.Message, "Argo CD app shop-prod is Degraded");
        StringAssert.Contains(error.Message, "1 of 4 resources degraded");
        StringAssert.Contains(error.Message, "Deployment shop/worker: Degraded (Deployment \"worker\" exceeded its progress deadline)");
        Assert.IsFalse(error.Message.Contains("shop/web", StringComparison.Ordinal), "healthy resources are not listed");
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task An_application_that_stays_pending_is_the_timeout_error_saying_the_commit_landed_and_what_is_pending()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("OutOfSync", history.Before, "Healthy"));
        var log = new RecordingLog();

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(agent, history, "shop-prod", log, timeout: TimeSpan.FromMilliseconds(600)));

        Assert.AreEqual("GITOPS135", error.Code);
        StringAssert.Contains(error.Message, $"The deploy commit {history.Deploy[..7]} landed on 'main' of");
        StringAssert.Contains(error.Message, "did not confirm it");
        StringAssert.Contains(error.Message, $"Argo CD app shop-prod (OutOfSync (at {history.Before[..7]}, before the deploy))");
        Assert.IsTrue(agent.Gets.Count >= 2, "it polled more than once");
        Assert.AreEqual(1, log.Important.Count(l => l.StartsWith("GitOps: waiting for Argo CD app", StringComparison.Ordinal)), "one line: the state never changed");
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_synced_revision_older_than_the_deploy_commit_is_pending_until_the_right_one_and_a_later_one_counts()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod",
            ArgoCdAgent.State("Synced", history.Before, "Healthy"),
            ArgoCdAgent.State("Synced", history.Aside, "Healthy"),
            ArgoCdAgent.State("Synced", history.Later, "Healthy"));
        var log = new RecordingLog();

        var verdict = await Wait(agent, history, "shop/shop-prod", log);

        Assert.IsTrue(verdict.Succeeded);
        Assert.AreEqual(3, agent.Gets.Count, "the older revision and the one on another branch were not taken for the deploy");
        Assert.IsTrue(agent.Gets.All(g => g.QueryValue("project") == "shop"), "project/name asks within the project");
        Assert.IsTrue(log.Important.Any(l => l.Contains($"Synced (at {history.Before[..7]}, before the deploy)", StringComparison.Ordinal)));
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task Healthy_is_not_enough_until_Argo_CD_reconciled_after_the_sync_operation_finished()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod",
            ArgoCdAgent.State("Synced", history.Deploy, "Healthy", reconciled: false),
            ArgoCdAgent.State("Synced", history.Deploy, "Healthy", phase: "Running"),
            ArgoCdAgent.State("Synced", history.Deploy, "Healthy"));

        var verdict = await Wait(agent, history, "shop-prod", new RecordingLog());

        Assert.IsTrue(verdict.Succeeded);
        Assert.AreEqual(3, agent.Gets.Count);
    }

    [TestMethod]
    public async Task A_failed_sync_operation_fails_with_its_message_and_the_resources_that_failed()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        var failed = ArgoCdAgent.State("OutOfSync", history.Deploy, "Healthy", phase: "Failed", operationMessage: "one or more objects failed to apply");
        failed["operationState"]!["syncResult"]!["resources"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = "Deployment", ["namespace"] = "shop", ["name"] = "web", ["status"] = "SyncFailed",
            ["message"] = "admission webhook denied the request",
        });
        agent.Script("shop-prod", failed);

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(agent, history, "shop-prod", new RecordingLog()));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, "sync Failed: one or more objects failed to apply; failed: Deployment shop/web: admission webhook denied the request");
    }

    [TestMethod]
    public async Task A_ComparisonError_condition_fails()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Unknown", history.Deploy, "Healthy", condition: "rpc error: kustomize build failed"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(agent, history, "shop-prod", new RecordingLog()));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, "ComparisonError: rpc error: kustomize build failed");
    }

    [TestMethod]
    public async Task A_token_the_project_role_refuses_is_GITOPS140_and_the_token_is_in_no_message()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        var log = new RecordingLog();

        var denied = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(agent, history, "not-mine", log));
        var wrong = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(agent, history, "shop-prod", log, token: "wrong-token-value"));

        Assert.AreEqual("GITOPS140", denied.Code);
        StringAssert.Contains(denied.Message, "403");
        StringAssert.Contains(denied.Message, "permission denied");
        Assert.AreEqual("GITOPS140", wrong.Code);
        StringAssert.Contains(wrong.Message, "401");
        Assert.IsFalse(string.Join("\n", log.Important.Concat(log.Detail).Append(denied.Message).Append(wrong.Message)).Contains("wrong-token-value", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Ctrl_C_stops_the_wait_at_once()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("OutOfSync", history.Before, "Healthy"));
        using var cancel = new CancellationTokenSource();
        var log = new RecordingLog { OnLine = line => { if (line.StartsWith("GitOps: waiting for Argo CD", StringComparison.Ordinal)) cancel.Cancel(); } };

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            Wait(agent, history, "shop-prod", log, timeout: TimeSpan.FromHours(1), firstDelay: TimeSpan.FromHours(1), cancellationToken: cancel.Token));

        Assert.AreEqual(1, agent.Gets.Count, "no poll after Ctrl+C");
    }

    private static async Task<AgentVerdict> Wait(ArgoCdAgent agent, ConfigHistory history, string applications, IBuildLog log,
        bool refresh = false, TimeSpan? timeout = null, TimeSpan? firstDelay = null, string token = ArgoCdAgent.Token,
        CancellationToken cancellationToken = default)
    {
        var settings = ArgoCdSettings.From(applications, refresh, name => name switch
        {
            ArgoCdSettings.ServerVariable => agent.Url,
            ArgoCdSettings.TokenVariable => token,
            _ => null,
        })!;
        using var client = new ArgoCdClient(settings, HttpTransportSettings.Direct);
        var source = new ArgoCdSource(client, settings, CommitAncestry.IsCommitOrDescendant(history.Path, history.Deploy));
        var delay = firstDelay ?? TimeSpan.FromMilliseconds(10);
        var policy = new WaitPolicy(timeout ?? TimeSpan.FromSeconds(60), delay, delay * 4, TimeSpan.FromHours(1));
        return await new DeployWaiter([source], policy, log)
            .WaitAsync(history.Deploy, "'main' of https://git.example.com/team/config.git", Stopwatch.StartNew(), cancellationToken);
    }
}
