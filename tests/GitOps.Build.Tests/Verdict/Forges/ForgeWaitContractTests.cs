using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Verdict.Forges;

/// <summary>
/// What the wait reads on every REST forge, each against its contract server (held to the vendored published
/// description) with a scripted agent and a scripted merge: the commit statuses the agent posts (pending → success,
/// pending → failure quoting the agent's words and link, a pattern nothing matches until the timeout), and the pull
/// request's merge (open → merged gives the commit on the base branch, closed without a merge, never merged in time).
/// A derived class per forge says how its contract is started.
/// </summary>
public abstract class ForgeWaitContractTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string MergeCommit = "fedcba9876543210fedcba9876543210fedcba98";

    private readonly List<IDisposable> owned = [];

    internal SimulatedRepository State { get; } = new() { StatusCommit = Commit };

    internal RecordingLog Log { get; } = new();

    internal ContractServer Server { get; private set; } = null!;

    private Uri apiRoot = null!;

    internal abstract (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state);

    internal abstract ForgeRepository RepositoryAt(Uri apiRoot);

    [TestInitialize]
    public void StartServer()
    {
        (Server, apiRoot) = Start(State);
        owned.Add(Server);
        State.Branches.Add("gitops/web-a1b2c3d");
    }

    [TestCleanup]
    public void CleanUp()
    {
        foreach (var item in owned) item.Dispose();
    }

    private ForgeHttp Http() => new(RepositoryAt(apiRoot), new ForgeCredentials("good", ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct,
        new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), Log);

    private static WaitPolicy Policy(TimeSpan? timeout = null) =>
        new(timeout ?? TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromHours(1));

    private async Task<AgentVerdict> WaitForStatuses(string patterns, TimeSpan? timeout = null)
    {
        using var reader = ForgeStatusReaders.Create(Http())!;
        var source = new CommitStatusSource(reader, ContextPattern.ParseList(patterns));
        return await new DeployWaiter([source], Policy(timeout), Log)
            .WaitAsync(Commit, "'main' of https://forge.example/team/config.git", Stopwatch.StartNew(), CancellationToken.None);
    }

    private async Task<(IForgeClient Client, PullRequest Pull)> OpenPull()
    {
        var client = ForgeClients.Create(Http());
        owned.Add(client);
        var pull = await client.OpenPullRequestAsync(new PullRequestSpec("gitops/web-a1b2c3d", "main", "Deploy team/web:a1b2c3d", "Deploys.", [], false, []),
            CancellationToken.None);
        return (client, pull);
    }

    [TestMethod]
    public async Task Pending_then_success_on_every_pattern_is_the_verdict()
    {
        State.Statuses(new SimulatedStatus("kustomization/apps-prod", "pending", "Reconciliation in progress"));
        State.Statuses(new SimulatedStatus("kustomization/apps-prod", "pending", "Reconciliation in progress"),
            new SimulatedStatus("kustomization/infra", "pending", "Reconciliation in progress"));
        State.Statuses(new SimulatedStatus("kustomization/apps-prod", "success", "Applied revision: main@sha1:0123456"),
            new SimulatedStatus("kustomization/infra", "success", "Applied revision: main@sha1:0123456"));

        var verdict = await WaitForStatuses("Kustomization/apps*;kustomization/infra");

        Assert.IsTrue(verdict.Succeeded);
        CollectionAssert.AreEquivalent(new[] { "kustomization/apps-prod", "kustomization/infra" }, verdict.Targets.Select(t => t.Name).ToArray());
        Assert.IsTrue(Log.Important.Contains("GitOps: waiting for status kustomization/infra: no status yet"), string.Join("\n", Log.Important));
        Assert.IsTrue(Log.Important.Contains("GitOps: waiting for status kustomization/apps-prod: pending → success"), string.Join("\n", Log.Important));
        Assert.AreEqual(3, State.StatusReads);
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_status_that_flips_from_pending_to_failure_fails_quoting_the_agents_description_and_link()
    {
        State.Statuses(new SimulatedStatus("kustomization/apps", "pending", "Reconciliation in progress"));
        State.Statuses(new SimulatedStatus("kustomization/apps", "failure", "Health check failed after 5m0s: Deployment/shop/web not ready",
            "https://flux.example.com/kustomization/apps"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => WaitForStatuses("kustomization/*"));

        Assert.AreEqual("GITOPS136", error.Code);
        StringAssert.Contains(error.Message,
            "status kustomization/apps is failure: Health check failed after 5m0s: Deployment/shop/web not ready (https://flux.example.com/kustomization/apps)");
        StringAssert.Contains(error.Message, Commit[..7]);
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_pattern_no_status_ever_matches_is_named_by_the_timeout_error()
    {
        State.Statuses(new SimulatedStatus("kustomization/apps", "success", "Applied"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() =>
            WaitForStatuses("kustomization/apps*;continuous-delivery/*", TimeSpan.FromMilliseconds(500)));

        Assert.AreEqual("GITOPS135", error.Code);
        StringAssert.Contains(error.Message, "Still pending: status continuous-delivery/* (no status yet)");
        Assert.IsFalse(error.Message.Contains("kustomization/apps (", StringComparison.Ordinal), "what succeeded is not pending");
        Assert.IsTrue(State.StatusReads > 1);
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task The_merge_wait_follows_the_pull_request_until_it_is_merged_and_returns_the_commit_on_the_base()
    {
        var (client, pull) = await OpenPull();
        State.Find(pull.Number)!.Script("open", "open", $"merged:{MergeCommit}");

        var commit = await new PullRequestMergeWaiter(client, Policy(), Log).WaitAsync(pull, CancellationToken.None);

        Assert.AreEqual(MergeCommit, commit);
        var name = $"#{pull.Number} ({pull.Url})";
        Assert.AreEqual(1, Log.Important.Count(line => line == $"GitOps: waiting for pull request {name}: open"), string.Join("\n", Log.Important));
        Assert.IsTrue(Log.Important.Contains($"GitOps: waiting for pull request {name}: open → merged"), string.Join("\n", Log.Important));
        Assert.IsTrue(Log.Important.Any(line => line.StartsWith($"GitOps: pull request {name} merged into 'main' as fedcba9", StringComparison.Ordinal)));
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_pull_request_closed_without_a_merge_is_GITOPS165()
    {
        var (client, pull) = await OpenPull();
        State.Find(pull.Number)!.Script("open", "closed");

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => new PullRequestMergeWaiter(client, Policy(), Log).WaitAsync(pull, CancellationToken.None));

        Assert.AreEqual("GITOPS165", error.Code);
        StringAssert.Contains(error.Message, pull.Url);
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_pull_request_never_merged_is_GITOPS166_naming_its_last_state()
    {
        var (client, pull) = await OpenPull();
        State.Find(pull.Number)!.Script("open");

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() =>
            new PullRequestMergeWaiter(client, Policy(TimeSpan.FromMilliseconds(400)), Log).WaitAsync(pull, CancellationToken.None));

        Assert.AreEqual("GITOPS166", error.Code);
        StringAssert.Contains(error.Message, $"#{pull.Number} ({pull.Url})");
        StringAssert.Contains(error.Message, "still open");
        Server.AssertHonoured();
    }
}
