using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Forge.Clients;

/// <summary>
/// What every REST forge client must do, each against its forge's contract server (held to the vendored published
/// description): open, update on a re-run, supersede, auto-merge, and each error class. A derived class per forge says
/// how its contract is started and what its answers look like.
/// </summary>
public abstract class ForgeClientContractTests
{
    protected const string Head = "gitops/web-a1b2c3d";

    private readonly List<IDisposable> owned = [];

    internal SimulatedRepository State { get; } = new();

    internal RecordingLog Log { get; } = new();

    internal ContractServer Server { get; private set; } = null!;

    private Uri apiRoot = null!;

    internal abstract ForgeKind Kind { get; }

    /// <summary>The contract's operation ids: the create call, and the listing call Find uses.</summary>
    internal abstract string CreateOperation { get; }

    internal abstract string ListOperation { get; }

    /// <summary>The status the forge answers an invalid pull request with (as its description declares or tolerates).</summary>
    internal abstract int ValidationStatus { get; }

    /// <summary>A reviewer as GitOpsPullRequestReviewers names one for this forge.</summary>
    internal abstract string Reviewer { get; }

    internal abstract (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state);

    internal abstract ForgeRepository RepositoryAt(Uri apiRoot);

    /// <summary>An error answer shaped as the forge shapes them.</summary>
    internal virtual ContractResponse ErrorAnswer(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        ContractResponse.Error(status, message, headers);

    internal abstract bool IsDraft(SimulatedPull pull);

    /// <summary>Bitbucket Cloud's pull requests have no labels.</summary>
    internal virtual bool HasLabels => true;

    [TestCleanup]
    public void CleanUp()
    {
        foreach (var item in owned) item.Dispose();
    }

    private IForgeClient Client(string token, TimeSpan? timeout, HttpTransportSettings? settings, CancellationToken cancellation)
    {
        var http = new ForgeHttp(RepositoryAt(apiRoot), new ForgeCredentials(token, ForgeCredentials.ForgeTokenVariable), settings ?? HttpTransportSettings.Direct,
            new Deadline(timeout ?? TimeSpan.FromSeconds(60), cancellation), Log);
        var client = ForgeClients.Create(http);
        owned.Add(client);
        return client;
    }

    private void StartServer()
    {
        // The REST root the contract gives the client: GitLab's paths carry /api/v4, Azure DevOps' the organization.
        (Server, apiRoot) = Start(State);
        owned.Add(Server);
    }

    internal static PullRequestSpec Spec(string head = Head, string title = "Deploy team/web:a1b2c3d", string body = "Deploys `a1b2c3d`.",
        string[]? labels = null, bool draft = false, string[]? reviewers = null) =>
        new(head, "main", title, body, labels ?? [], draft, reviewers ?? []);

    internal IForgeClient Ready(string token = "good", TimeSpan? timeout = null, HttpTransportSettings? settings = null,
        CancellationToken cancellation = default)
    {
        if (Server is null)
            StartServer();
        State.Branches.Add(Head);
        return Client(token, timeout, settings, cancellation);
    }

    private static GitOpsException Throws(Func<Task> call)
    {
        try
        {
            call().GetAwaiter().GetResult();
        }
        catch (GitOpsException e)
        {
            return e;
        }
        Assert.Fail("expected a coded error");
        return null!;
    }

    [TestMethod]
    public async Task Opens_a_pull_request_and_updates_it_on_a_rerun_instead_of_opening_another()
    {
        var client = Ready();

        await client.CheckAccessAsync("main", CancellationToken.None);
        Assert.IsNull(await client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None));
        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);
        var found = await client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None);
        Assert.IsNotNull(found);
        var updated = await client.UpdatePullRequestAsync(found, Spec(title: "Deploy team/web:b2c3d4e", body: "Deploys `b2c3d4e`."), CancellationToken.None);

        Assert.AreEqual(1, State.Pulls.Count);
        Assert.AreEqual(opened.Number, found.Number);
        Assert.AreEqual(opened.Number, updated.Number);
        Assert.AreEqual((Head, "main"), (found.Head, found.Base));
        StringAssert.StartsWith(opened.Url, "https://");
        Assert.AreEqual("Deploy team/web:b2c3d4e", State.Pulls[0].Title);
        Assert.AreEqual("Deploys `b2c3d4e`.", State.Pulls[0].Body);
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task Supersede_lists_the_open_pull_requests_and_closes_one_with_a_comment_and_its_branch()
    {
        var client = Ready();
        State.Branches.Add("gitops/web-0000001");
        var older = await client.OpenPullRequestAsync(Spec(head: "gitops/web-0000001"), CancellationToken.None);
        var newer = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);

        var open = await client.ListOpenPullRequestsAsync("main", CancellationToken.None);
        await client.ClosePullRequestAsync(older, $"Superseded by {newer.Url}", CancellationToken.None);

        CollectionAssert.AreEquivalent(new[] { older.Number, newer.Number }, open.Select(pr => pr.Number).ToArray());
        var closed = State.Find(older.Number)!;
        Assert.IsFalse(closed.IsOpen);
        Assert.IsTrue(State.Find(newer.Number)!.IsOpen);
        Assert.IsTrue(CommentOf(closed).Contains(newer.Url, StringComparison.Ordinal), CommentOf(closed));
        Assert.IsFalse(State.Branches.Contains("gitops/web-0000001"));
        Assert.IsTrue(State.Branches.Contains(Head));
        Assert.AreEqual(1, (await client.ListOpenPullRequestsAsync("main", CancellationToken.None)).Count);
        Server.AssertHonoured();
    }

    /// <summary>Where the forge keeps the closing comment (GitLab: the description, see GitLabClient).</summary>
    internal virtual string CommentOf(SimulatedPull pull) => string.Join("\n", pull.Comments);

    [TestMethod]
    public async Task Labels_reviewers_and_draft_reach_the_forge()
    {
        var client = Ready();

        await client.OpenPullRequestAsync(Spec(labels: ["deploy"], draft: true, reviewers: [Reviewer]), CancellationToken.None);

        var pull = State.Pulls.Single();
        if (HasLabels)
            CollectionAssert.Contains(pull.Labels, "deploy");
        else
            Assert.IsFalse(Server.Requests.Any(r => r.Body.Contains("deploy", StringComparison.Ordinal)), "a forge without labels gets none");
        CollectionAssert.Contains(pull.Reviewers, Reviewer);
        Assert.IsTrue(IsDraft(pull));
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task With_no_config_branch_the_check_reads_the_repository_and_returns_its_default_branch()
    {
        var client = Ready();

        Assert.AreEqual("main", await client.CheckAccessAsync(null, CancellationToken.None));
        Assert.AreEqual("main", await client.CheckAccessAsync("main", CancellationToken.None));
        Server.AssertHonoured();
    }

    [TestMethod]
    public void A_bad_token_is_GITOPS125_before_anything_is_pushed()
    {
        var client = Ready(token: "glpat-s3cr3t-t0k3n");

        var error = Throws(() => client.CheckAccessAsync("main", CancellationToken.None));

        Assert.AreEqual("GITOPS125", error.Code);
        Assert.IsTrue(Server.Unauthorized.Count > 0);
        Assert.IsFalse(Log.Important.Concat(Log.Detail).Concat([error.Message]).Any(line => line.Contains("glpat-s3cr3t-t0k3n", StringComparison.Ordinal)),
            "the token must not be logged");
        Server.AssertHonoured();
    }

    [TestMethod]
    public void A_missing_base_branch_is_GITOPS127_naming_it()
    {
        var client = Ready();

        var error = Throws(() => client.CheckAccessAsync("production", CancellationToken.None));

        Assert.AreEqual("GITOPS127", error.Code);
        StringAssert.Contains(error.Message, "production");
        Server.AssertHonoured();
    }

    [TestMethod]
    public void Forbidden_is_GITOPS126()
    {
        var client = Ready();
        Server.Fail(CreateOperation, ErrorAnswer(403, "the token lacks the permission to open pull requests"));

        var error = Throws(() => client.OpenPullRequestAsync(Spec(), CancellationToken.None));

        Assert.AreEqual("GITOPS126", error.Code);
        Server.AssertHonoured();
    }

    [TestMethod]
    public void An_invalid_pull_request_is_GITOPS128_with_the_forge_message()
    {
        var client = Ready();
        Server.Fail(CreateOperation, ErrorAnswer(ValidationStatus, "title is too long"));

        var error = Throws(() => client.OpenPullRequestAsync(Spec(), CancellationToken.None));

        Assert.AreEqual("GITOPS128", error.Code);
        StringAssert.Contains(error.Message, "title is too long");
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_rate_limit_is_waited_out_as_the_forge_asks()
    {
        var client = Ready();
        Server.Fail(ListOperation, ErrorAnswer(429, "rate limit exceeded", new Dictionary<string, string> { ["Retry-After"] = "1" }));

        Assert.IsNull(await client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None));

        Assert.AreEqual(2, Server.RequestsTo(ListOperation).Count());
        Assert.IsTrue(Log.Important.Any(line => line.Contains("rate-limited", StringComparison.Ordinal)), string.Join("\n", Log.Important));
        Server.AssertHonoured();
    }

    [TestMethod]
    public void A_rate_limit_past_the_deadline_is_GITOPS129()
    {
        var client = Ready(timeout: TimeSpan.FromSeconds(30));
        Server.Fail(ListOperation, ErrorAnswer(429, "rate limit exceeded", new Dictionary<string, string> { ["Retry-After"] = "3600" }));

        var error = Throws(() => client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None));

        Assert.AreEqual("GITOPS129", error.Code);
        Server.AssertHonoured();
    }

    [TestMethod]
    [TestCategory("GitServer")]
    public async Task The_API_goes_through_the_proxy_git_uses_with_its_credentials()
    {
        // The squid of build/env (basic auth), named as git and curl read it: http_proxy for an http:// API.
        var environment = TestEnvironment.Require();
        var proxy = HttpTransportSettings.FromEnvironment(name => name == "http_proxy" ? environment.ProxyUrlWithCredentials : null);
        var client = Ready(settings: proxy);
        // The log outlives servers: an earlier test's server on the same port is not this one (the log's lines start with epoch seconds).
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;

        await client.CheckAccessAsync("main", CancellationToken.None);

        // .NET asks without credentials first and answers squid's 407 challenge: what squid forwarded carried the user.
        var forwarded = File.ReadAllLines(environment.ProxyLog)
            .Where(line => line.Contains($"http://127.0.0.1:{Server.Port}/", StringComparison.Ordinal) && !line.Contains("TCP_DENIED", StringComparison.Ordinal))
            .Where(line => double.TryParse(line.Split('.', 2)[0], System.Globalization.CultureInfo.InvariantCulture, out var at) && at >= since).ToList();
        Assert.AreEqual(Server.Requests.Count, forwarded.Count, "every API call went through the proxy:\n" + string.Join("\n", forwarded));
        Assert.IsTrue(forwarded.All(line => line.Contains($" {environment.ProxyUser} ", StringComparison.Ordinal)), string.Join("\n", forwarded));
        Server.AssertHonoured();
    }

    [TestMethod]
    public void Ctrl_C_ends_a_rate_limit_wait_at_once_with_nothing_opened()
    {
        using var cancel = new CancellationTokenSource();
        var client = Ready(timeout: TimeSpan.FromMinutes(10), cancellation: cancel.Token);
        // The forge asks for two minutes: well within the timeout, so only Ctrl+C ends the wait.
        Server.Fail(ListOperation, ErrorAnswer(429, "rate limit exceeded", new Dictionary<string, string> { ["Retry-After"] = "120" }));
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        Exception? thrown = null;
        try
        {
            client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            thrown = e;
        }

        Assert.IsInstanceOfType<OperationCanceledException>(thrown, thrown?.ToString());
        Assert.AreEqual(1, Server.RequestsTo(ListOperation).Count(), "no retry after Ctrl+C");
        Assert.AreEqual(0, State.Pulls.Count);
        Server.AssertHonoured();
    }

    /// <summary>For forges whose create answers "exists" (409): a pull request opened by another run after the look-up is updated.</summary>
    internal async Task AssertAConflictAtCreateUpdatesTheExistingPullRequest()
    {
        var client = Ready();
        var existing = State.Open(Head, "main", "Deploy team/web:0000001", "old");

        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);

        Assert.AreEqual(existing.Number, opened.Number);
        Assert.AreEqual(1, State.Pulls.Count);
        Assert.AreEqual("Deploy team/web:a1b2c3d", existing.Title);
        Server.AssertHonoured();
    }

    /// <summary>Auto-merge turned on, with the merge method the forge calls it by.</summary>
    internal async Task AssertAutoMergeIsEnabled(MergeMethod method, string expected)
    {
        var client = Ready();
        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);

        var outcome = await client.EnableAutoMergeAsync(opened, method, CancellationToken.None);

        Assert.AreEqual(AutoMergeState.Enabled, outcome.State);
        Assert.IsTrue(State.Pulls.Single().AutoMerge);
        Assert.AreEqual(expected, State.Pulls.Single().MergeMethod);
        Server.AssertHonoured();
    }

    /// <summary>A repository that does not allow it: the Disabled outcome (warning GITOPS078 upstream), the pull request stays open.</summary>
    internal async Task AssertDisallowedAutoMergeIsDisabled()
    {
        var client = Ready();
        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);
        State.AutoMergeAllowed = false;

        var outcome = await client.EnableAutoMergeAsync(opened, MergeMethod.Merge, CancellationToken.None);

        Assert.AreEqual(AutoMergeState.Disabled, outcome.State);
        Assert.IsFalse(string.IsNullOrWhiteSpace(outcome.Detail));
        Assert.IsTrue(State.Pulls.Single().IsOpen);
        Assert.IsFalse(State.Pulls.Single().AutoMerge);
        Server.AssertHonoured();
    }
}
