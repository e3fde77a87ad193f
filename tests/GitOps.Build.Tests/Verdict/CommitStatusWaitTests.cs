using GitOps.Build.Tasks;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Verdict;

/// <summary>
/// The wait on the commit statuses and check runs agents post (Flux's notification-controller, Argo CD Notifications),
/// against the GitHub contract server held to github/rest-api-description, with a scripted agent: each poll of a
/// commit's statuses gets the next state of the script.
/// </summary>
[TestClass]
public sealed class CommitStatusWaitTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    [TestMethod]
    public async Task Pending_then_success_on_every_pattern_is_the_verdict()
    {
        using var contract = new GitHubContract();
        var script = new StatusAgent(contract, () => Commit);
        script.Statuses(StatusAgent.Status("kustomization/apps-prod", "pending", "Reconciliation in progress"));
        script.Statuses(StatusAgent.Status("kustomization/apps-prod", "pending", "Reconciliation in progress"), StatusAgent.Status("continuous-delivery/shop-prod", "pending", null));
        script.Statuses(StatusAgent.Status("kustomization/apps-prod", "success", "Applied revision: main@sha1:0123456"), StatusAgent.Status("continuous-delivery/shop-prod", "pending", null));
        script.Statuses(StatusAgent.Status("kustomization/apps-prod", "success", "Applied revision: main@sha1:0123456"), StatusAgent.Status("continuous-delivery/shop-prod", "success", "healthy"));
        var log = new RecordingLog();

        var verdict = await Wait(contract, "kustomization/apps*;continuous-delivery/*", log);

        Assert.IsTrue(verdict.Succeeded);
        CollectionAssert.AreEquivalent(new[] { "kustomization/apps-prod", "continuous-delivery/shop-prod" }, verdict.Targets.Select(t => t.Name).ToArray());
        Assert.IsTrue(verdict.Targets.All(t => t.SecondsToHealthy is not null && t.SecondsToSync is null));
        Assert.IsTrue(log.Important.Contains("GitOps: waiting for status continuous-delivery/*: no status yet"), string.Join("\n", log.Important));
        Assert.IsTrue(log.Important.Contains("GitOps: waiting for status kustomization/apps-prod: pending → success"), string.Join("\n", log.Important));
        Assert.AreEqual(4, script.Reads);
        contract.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_status_that_flips_from_pending_to_failure_fails_quoting_the_agents_description_and_link()
    {
        using var contract = new GitHubContract();
        var script = new StatusAgent(contract, () => Commit);
        script.Statuses(StatusAgent.Status("kustomization/apps", "pending", "Reconciliation in progress"));
        script.Statuses(StatusAgent.Status("kustomization/apps", "failure", "Health check failed after 5m0s: Deployment/shop/web not ready",
            "https://flux.example.com/kustomization/apps"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(contract, "kustomization/apps*", new RecordingLog()));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, "status kustomization/apps is failure: Health check failed after 5m0s: Deployment/shop/web not ready (https://flux.example.com/kustomization/apps)");
        StringAssert.Contains(error.Message, Commit[..7]);
        contract.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_status_description_and_context_of_megabytes_are_logged_and_quoted_as_their_first_line_cut_short()
    {
        // Any poster may write a status; its words reach a log line at each change of state, and the error.
        using var contract = new GitHubContract();
        var script = new StatusAgent(contract, () => Commit);
        var context = "kustomization/" + new string('c', 100_000);
        var description = "Health check failed " + new string('d', 1_000_000) + "\nsecond line yyy";
        script.Statuses(StatusAgent.Status(context, "pending", "first line\n" + new string('x', 1_000_000)));
        script.Statuses(StatusAgent.Status(context, "failure", description, "https://flux.example.com/k"));
        var log = new RecordingLog();

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(contract, "kustomization/*", log));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, "Health check failed dddd");
        StringAssert.Contains(error.Message, "…");
        Assert.IsTrue(error.Message.Length < 2_000, $"{error.Message.Length:N0} characters");
        Assert.IsTrue(log.Important.All(line => line.Length < 2_000), string.Join("\n", log.Important.Select(line => line.Length)));
        Assert.IsFalse(log.Important.Concat([error.Message]).Any(line => line.Contains("yyy", StringComparison.Ordinal)), "the first line only");
    }

    [TestMethod]
    public async Task A_check_run_counts_as_a_status_and_its_failed_conclusion_fails()
    {
        using var contract = new GitHubContract();
        var script = new StatusAgent(contract, () => Commit);
        script.Checks(StatusAgent.Check("argocd/shop-prod", "in_progress", null, Commit));
        script.Checks(StatusAgent.Check("argocd/shop-prod", "completed", "failure", Commit));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(contract, "ArgoCD/*", new RecordingLog()));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, "status argocd/shop-prod is failure: Sync failed (https://argocd.example.com/applications/shop-prod)");
        Assert.IsTrue(contract.Server.RequestsTo("checks/list-for-ref").All(r => r.QueryValue("filter") == "latest"));
        contract.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_pattern_no_status_ever_matches_is_named_by_the_timeout_error()
    {
        using var contract = new GitHubContract();
        var script = new StatusAgent(contract, () => Commit);
        script.Statuses(StatusAgent.Status("kustomization/apps", "success", "Applied"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() =>
            Wait(contract, "kustomization/apps*;continuous-delivery/*", new RecordingLog(), TimeSpan.FromMilliseconds(500)));

        Assert.AreEqual("GITOPS135", error.Code);
        StringAssert.Contains(error.Message, "Still pending: status continuous-delivery/* (no status yet)");
        Assert.IsFalse(error.Message.Contains("kustomization/apps (", StringComparison.Ordinal), "what succeeded is not pending");
    }

    private static async Task<AgentVerdict> Wait(GitHubContract contract, string patterns, IBuildLog log, TimeSpan? timeout = null)
    {
        var http = new ForgeHttp(
            new ForgeRepository(ForgeKind.GitHub, contract.Server.ApiRoot, contract.Owner, null, contract.Repository, "https://github.example/team/config.git"),
            new ForgeCredentials(GitHubContract.Token, ForgeCredentials.TokenVariable), HttpTransportSettings.Direct,
            new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), log);
        using var reader = ForgeStatusReaders.Create(http)!;
        var source = new CommitStatusSource(reader, ContextPattern.ParseList(patterns));
        var policy = new WaitPolicy(timeout ?? TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromHours(1));
        return await new DeployWaiter([source], policy, log).WaitAsync(Commit, "'main' of https://github.example/team/config.git", Stopwatch.StartNew(), CancellationToken.None);
    }
}
