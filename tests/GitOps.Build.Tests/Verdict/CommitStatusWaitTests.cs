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
        var script = new StatusScript(contract);
        script.Statuses(Status("kustomization/apps-prod", "pending", "Reconciliation in progress"));
        script.Statuses(Status("kustomization/apps-prod", "pending", "Reconciliation in progress"), Status("continuous-delivery/shop-prod", "pending", null));
        script.Statuses(Status("kustomization/apps-prod", "success", "Applied revision: main@sha1:0123456"), Status("continuous-delivery/shop-prod", "pending", null));
        script.Statuses(Status("kustomization/apps-prod", "success", "Applied revision: main@sha1:0123456"), Status("continuous-delivery/shop-prod", "success", "healthy"));
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
        var script = new StatusScript(contract);
        script.Statuses(Status("kustomization/apps", "pending", "Reconciliation in progress"));
        script.Statuses(Status("kustomization/apps", "failure", "Health check failed after 5m0s: Deployment/shop/web not ready",
            "https://flux.example.com/kustomization/apps"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(contract, "kustomization/apps*", new RecordingLog()));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message, "status kustomization/apps is failure: Health check failed after 5m0s: Deployment/shop/web not ready (https://flux.example.com/kustomization/apps)");
        StringAssert.Contains(error.Message, Commit[..7]);
        contract.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_check_run_counts_as_a_status_and_its_failed_conclusion_fails()
    {
        using var contract = new GitHubContract();
        var script = new StatusScript(contract);
        script.Checks(Check("argocd/shop-prod", "in_progress", null));
        script.Checks(Check("argocd/shop-prod", "completed", "failure"));

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
        var script = new StatusScript(contract);
        script.Statuses(Status("kustomization/apps", "success", "Applied"));

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

    private static JsonObject Status(string context, string state, string? description, string? url = null) => new()
    {
        ["url"] = $"https://api.github.com/repos/team/config/statuses/{Commit}",
        ["id"] = 1, ["node_id"] = "SC_1", ["state"] = state, ["description"] = description, ["target_url"] = url, ["context"] = context,
        ["created_at"] = "2026-12-06T06:00:00Z", ["updated_at"] = "2026-12-06T06:00:00Z",
    };

    private static JsonObject Check(string name, string status, string? conclusion) => new()
    {
        ["id"] = 4, ["head_sha"] = Commit, ["node_id"] = "CR_4", ["name"] = name, ["status"] = status, ["conclusion"] = conclusion,
        ["details_url"] = "https://argocd.example.com/applications/shop-prod", ["html_url"] = "https://github.com/team/config/runs/4",
        ["output"] = new JsonObject { ["title"] = conclusion == "failure" ? "Sync failed" : "Syncing", ["summary"] = "" },
    };

    /// <summary>The scripted agent: the n-th poll of the commit gets the n-th state (the last one stays).</summary>
    private sealed class StatusScript
    {
        private readonly List<JsonObject[]> statuses = [];
        private readonly List<JsonObject[]> checks = [];
        private int statusReads;
        private int checkReads;

        public StatusScript(GitHubContract contract)
        {
            contract.Server.Handle("repos/list-commit-statuses-for-ref", request => Answer(request, statuses, ref statusReads, list => new JsonArray([.. list])));
            contract.Server.Handle("checks/list-for-ref", request => Answer(request, checks, ref checkReads,
                list => new JsonObject { ["total_count"] = list.Length, ["check_runs"] = new JsonArray([.. list]) }));
        }

        public int Reads => statusReads;

        public void Statuses(params JsonObject[] state) => statuses.Add(state);

        public void Checks(params JsonObject[] state) => checks.Add(state);

        private static ContractResponse Answer(ContractRequest request, List<JsonObject[]> script, ref int reads, Func<JsonNode[], JsonNode> shape)
        {
            if (request.PathValues["ref"] != Commit)
                return ContractResponse.Error(422, "No commit found for SHA");
            var state = script.Count == 0 ? [] : script[Math.Min(reads, script.Count - 1)];
            reads++;
            return ContractResponse.Json(HttpStatusCode.OK, shape([.. state.Select(s => s.DeepClone())]));
        }
    }
}
