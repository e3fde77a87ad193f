using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Verdict;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// The wait step as the tasks run it: the sources built from the options and the environment (Argo CD's contract
/// server with a scripted agent, the GitHub contract server with scripted statuses), the ancestry of Argo CD's revision
/// read from a real config repository through the reader, and the verdict returned typed.
/// </summary>
[TestClass]
public sealed class DeployWaitStepTests
{
    [TestMethod]
    public void A_revision_before_the_deploy_then_a_later_one_is_a_success_read_through_the_config_history()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", history.Before, "Healthy"), ArgoCdAgent.State("Synced", history.Later, "Healthy"));

        var outcome = Step(agent).Wait(Request(history, history.Deploy, Options(applications: "shop-prod")), Stopwatch.StartNew(), CancellationToken.None);

        Assert.AreEqual(WaitOutcomeState.Success, outcome.State);
        Assert.IsTrue(outcome.Succeeded);
        Assert.IsNull(outcome.Error);
        Assert.AreEqual(history.Deploy, outcome.Commit);
        Assert.AreEqual("shop-prod", outcome.Targets.Single().Name);
        Assert.AreEqual(2, agent.Gets.Count, "the older revision was not taken for the deploy");
    }

    [TestMethod]
    public void A_degraded_app_is_a_typed_failure_naming_the_app_and_its_cause_not_an_exception()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", history.Deploy, "Degraded", healthMessage: "Back-off pulling image"));
        agent.Script("shop-canary", ArgoCdAgent.State("Synced", history.Deploy, "Healthy"));

        var outcome = Step(agent).Wait(Request(history, history.Deploy, Options(applications: "shop-prod;shop/shop-canary")), Stopwatch.StartNew(), CancellationToken.None);

        Assert.AreEqual(WaitOutcomeState.Failure, outcome.State);
        Assert.AreEqual("failure", outcome.StateName);
        Assert.AreEqual("GITOPS136", outcome.Error?.Code);
        var failed = outcome.Failed.Single();
        Assert.AreEqual(("Argo CD app", "shop-prod", "Degraded"), (failed.Source, failed.Name, failed.Label));
        StringAssert.Contains(failed.Detail, "Back-off pulling image");
        Assert.AreEqual(2, outcome.Targets.Count, "the healthy one is in the verdict too");
    }

    [TestMethod]
    public void Statuses_that_stay_pending_are_a_typed_timeout_naming_the_pending_context()
    {
        using var history = new ConfigHistory();
        using var github = new GitHubContract();
        var statuses = new StatusAgent(github, () => history.Deploy);
        statuses.Statuses(StatusAgent.Status("kustomization/apps", "pending", "Reconciliation in progress"));

        // Long enough for the first read to answer under load (the message quotes what it read); the wait ends at it.
        var outcome = Step(null, github).Wait(Request(history, history.Deploy, Options(contexts: "kustomization/*", timeout: TimeSpan.FromSeconds(10))),
            Stopwatch.StartNew(), CancellationToken.None);

        Assert.AreEqual(WaitOutcomeState.Timeout, outcome.State);
        Assert.AreEqual("GITOPS135", outcome.Error?.Code);
        StringAssert.Contains(outcome.Error!.Message, "status kustomization/apps (pending: Reconciliation in progress)");
        Assert.AreEqual("pending", outcome.Targets.Single().Label);
        github.Server.AssertHonoured();
    }

    [TestMethod]
    public void Argo_CD_and_statuses_together_succeed_only_when_both_do()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", history.Deploy, "Healthy"));
        using var github = new GitHubContract();
        var statuses = new StatusAgent(github, () => history.Deploy);
        statuses.Statuses(StatusAgent.Status("kustomization/apps", "pending", null));
        statuses.Statuses(StatusAgent.Status("kustomization/apps", "success", "Applied"));

        var outcome = Step(agent, github).Wait(Request(history, history.Deploy, Options(applications: "shop-prod", contexts: "kustomization/*")),
            Stopwatch.StartNew(), CancellationToken.None);

        Assert.IsTrue(outcome.Succeeded);
        CollectionAssert.AreEquivalent(new[] { "shop-prod", "kustomization/apps" }, outcome.Targets.Select(t => t.Name).ToArray());
        Assert.AreEqual(2, statuses.Reads);
    }

    [TestMethod]
    public void Ctrl_C_ends_the_wait_at_once_as_a_cancellation()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("OutOfSync", history.Before, "Healthy"));
        using var cancel = new CancellationTokenSource();
        var log = new RecordingLog { OnLine = line => { if (line.StartsWith("GitOps: waiting for Argo CD", StringComparison.Ordinal)) cancel.Cancel(); } };
        var step = new DeployWaitStep(Reader(), HttpTransportSettings.Direct, Variables(agent), NoStatuses, log)
        {
            Policy = timeout => new WaitPolicy(timeout, TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)),
        };

        Assert.ThrowsExactly<OperationCanceledException>(() =>
            step.Wait(Request(history, history.Deploy, Options(applications: "shop-prod", timeout: TimeSpan.FromHours(1))), Stopwatch.StartNew(), cancel.Token));

        Assert.AreEqual(1, agent.Gets.Count, "no poll after Ctrl+C");
    }

    [TestMethod]
    public void A_look_reports_where_each_target_stands_now_without_waiting()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("OutOfSync", history.Before, "Healthy"), ArgoCdAgent.State("Synced", history.Deploy, "Healthy"));

        var look = Step(agent).Look(Request(history, history.Deploy, Options(applications: "shop-prod")), CancellationToken.None);

        Assert.AreEqual(TargetState.Pending, look.Single().State);
        Assert.AreEqual(1, agent.Gets.Count, "one read, no wait");
    }

    [TestMethod]
    public void Settings_the_sources_need_are_coded_errors()
    {
        using var history = new ConfigHistory();
        var noArgoCd = new DeployWaitStep(Reader(), HttpTransportSettings.Direct, _ => null, NoStatuses, new RecordingLog());
        Assert.AreEqual("GITOPS138", Assert.ThrowsExactly<GitOpsException>(() =>
            noArgoCd.Wait(Request(history, history.Deploy, Options(applications: "shop-prod")), Stopwatch.StartNew(), CancellationToken.None)).Code);
        var none = new DeployWaitStep(Reader(), HttpTransportSettings.Direct, _ => null, NoStatuses, new RecordingLog());
        Assert.AreEqual("GITOPS142", Assert.ThrowsExactly<GitOpsException>(() =>
            none.Wait(Request(history, history.Deploy, Options(contexts: "kustomization/*") with { StatusContexts = [] }), Stopwatch.StartNew(), CancellationToken.None)).Code);
    }

    [TestMethod]
    [DataRow("HEAD")]
    [DataRow("main")]
    [DataRow(":/Deploy")]
    [DataRow("HEAD^{commit}")]
    [DataRow("^")]
    public void A_revision_that_is_a_name_not_a_commit_id_is_not_taken_for_the_deploy(string revision)
    {
        // Before (issue 20, fourth probe): libgit2's rev-parse resolved the agent's word in the clone: "HEAD" and
        // ":/Deploy" named the tip (a descendant of the deploy), so the wait reported success for an app that synced
        // nothing; "^" was an InvalidSpecificationException.
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", revision, "Healthy"));

        var outcome = Step(agent).Wait(Request(history, history.Deploy, Options(applications: "shop-prod", timeout: TimeSpan.FromMilliseconds(300))),
            Stopwatch.StartNew(), CancellationToken.None);

        Assert.AreEqual(WaitOutcomeState.Timeout, outcome.State, outcome.Error?.Message);
        Assert.AreEqual("GITOPS135", outcome.Error?.Code);
    }

    [TestMethod]
    public void An_agent_listing_thousands_of_unknown_revisions_costs_no_clones_past_the_wait_s_timeout()
    {
        // Before: each unknown revision of status.sync.revisions was a clone of the config history, each bounded by
        // GitOpsConfigTimeout alone: 5,000 of them outlasted a 1 s GitOpsWaitTimeout by minutes, and a later deploy's
        // revision, listed last, was then looked up too: a success reported long after the wait's time.
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        var random = new Random(20);
        var state = ArgoCdAgent.State("Synced", history.Before, "Healthy");
        state["sync"]!["revisions"] = new System.Text.Json.Nodes.JsonArray([
            .. Enumerable.Range(0, 5000).Select(_ => (System.Text.Json.Nodes.JsonNode)Convert.ToHexString(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 20)).ToLowerInvariant()),
            history.Later]);
        agent.Script("shop-prod", state);

        var outcome = Step(agent).Wait(Request(history, history.Deploy, Options(applications: "shop-prod", timeout: TimeSpan.FromSeconds(1))),
            Stopwatch.StartNew(), CancellationToken.None);

        Assert.AreEqual(WaitOutcomeState.Timeout, outcome.State, "the revisions past the timeout were not looked up");
    }

    /// <summary>
    /// GitOpsCommitMethod=api's check (ForgeAncestry over GitHub's client) against a forge that accepts the connection and
    /// never answers: the question ends with the wait's time, as GITOPS135, not at the client's own deadline (ten minutes
    /// here); the check is opened once, on the first revision asked.
    /// </summary>
    [TestMethod]
    public void An_ancestry_question_the_forge_never_answers_ends_with_the_wait_as_a_timeout()
    {
        using var history = new ConfigHistory();
        using var agent = new ArgoCdAgent();
        agent.Script("shop-prod", ArgoCdAgent.State("Synced", history.Before, "Healthy"));
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        _ = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { /* stopped */ }
        });
        var opened = 0;
        var root = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        ICommitAncestry Open(DeployWaitOptions options)
        {
            opened++;
            var http = new ForgeHttp(new ForgeRepository(ForgeKind.GitHub, root, "team", null, "config", "https://github.invalid/team/config.git"),
                new ForgeCredentials("token", ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct,
                new Deadline(TimeSpan.FromMinutes(10), CancellationToken.None), new RecordingLog());
            var commits = new GitHubCommits(http);
            return new ForgeAncestry(commits, commits);
        }
        var step = new DeployWaitStep(Open, HttpTransportSettings.Direct, Variables(agent), NoStatuses, new RecordingLog())
        {
            Policy = timeout => new WaitPolicy(timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromHours(1)),
        };
        try
        {
            var outcome = step.Wait(Request(history, history.Deploy, Options(applications: "shop-prod", timeout: TimeSpan.FromSeconds(2))),
                Stopwatch.StartNew(), CancellationToken.None);

            Assert.AreEqual(WaitOutcomeState.Timeout, outcome.State, outcome.Error?.Message);
            Assert.AreEqual("GITOPS135", outcome.Error!.Code);
            Assert.AreEqual(1, opened, "opened once, on the first revision asked");
            Assert.IsFalse(held.IsEmpty, "the forge was asked");
        }
        finally
        {
            silent.Stop();
            foreach (var client in held) client.Dispose();
        }
    }

    private static DeployWaitStep Step(ArgoCdAgent? agent, GitHubContract? github = null) =>
        new(Reader(), HttpTransportSettings.Direct, agent is null ? _ => null : Variables(agent),
            github is null ? NoStatuses : (repository, options) => GitHubStatuses(github, repository), new RecordingLog())
        {
            Policy = timeout => new WaitPolicy(timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromHours(1)),
        };

    private static IForgeStatusReader NoStatuses(ForgeRepository repository, DeployWaitOptions options) =>
        throw new AssertFailedException("no statuses were asked for");

    // The forge the options name (GitOpsForge=GitHub); its coordinates are the contract server's team/config, not the local path's.
    private static IForgeStatusReader GitHubStatuses(GitHubContract github, ForgeRepository repository)
    {
        Assert.AreEqual(ForgeKind.GitHub, repository.Kind);
        var http = new ForgeHttp(new ForgeRepository(ForgeKind.GitHub, github.Server.ApiRoot, github.Owner, null, github.Repository, repository.DisplayUrl),
            new ForgeCredentials(GitHubContract.Token, ForgeCredentials.TokenVariable), HttpTransportSettings.Direct,
            new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), new RecordingLog());
        return GitOps.Build.Tasks.ForgeStatusReaders.Create(http)!;
    }

    private static Func<string, string?> Variables(ArgoCdAgent agent) => name => name switch
    {
        "GITOPS_ARGOCD_SERVER" => agent.Url,
        "GITOPS_ARGOCD_TOKEN" => ArgoCdAgent.Token,
        _ => null,
    };

    /// <summary>GitOpsCommitMethod=git's check: a clone of the branch.</summary>
    private static Func<DeployWaitOptions, ICommitAncestry> Reader() =>
        _ => new CloneAncestry(new ConfigRepositoryReader(null, new ConfigWriterOptions { Timeout = TimeSpan.FromSeconds(60) }));

    private static DeployWaitRequest Request(ConfigHistory history, string commit, DeployWaitOptions options) =>
        new(ConfigRepositoryLocation.Parse(history.Path), "main", commit, options);

    private static DeployWaitOptions Options(string? applications = null, string? contexts = null, TimeSpan? timeout = null) =>
        DeployWaitOptions.Read("true", ((int)Math.Ceiling((timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            contexts, applications, null, "GitHub", "http://127.0.0.1:1/") is { } read
            ? read with { Timeout = timeout ?? TimeSpan.FromSeconds(60) }
            : throw new AssertFailedException("no options");
}
