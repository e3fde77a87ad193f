using System.Net;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge;

/// <summary>The GitHub client (Octokit on our handler, GraphQL for auto-merge) against the GitHub contract server.</summary>
[TestClass]
public sealed class GitHubForgeClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal static ForgeHttp Http(GitHubContract contract, string token = GitHubContract.Token, TimeSpan? timeout = null, IBuildLog? log = null) =>
        new(new ForgeRepository(ForgeKind.GitHub, contract.Server.ApiRoot, contract.Owner, null, contract.Repository, "https://github.example/team/config.git"),
            new ForgeCredentials(token, ForgeCredentials.TokenVariable), HttpTransportSettings.Direct,
            new Deadline(timeout ?? TimeSpan.FromSeconds(60), CancellationToken.None), log ?? NullBuildLog.Instance);

    private static PullRequestSpec Spec(string head = "gitops/team-web-a1b2c3d", string title = "Deploy team/web:a1b2c3d", string body = "body",
        string[]? labels = null, string[]? reviewers = null, bool draft = false) =>
        new(head, "main", title, body, labels ?? [], draft, reviewers ?? []);

    [TestMethod]
    public async Task Opens_a_pull_request_with_its_labels_reviewers_and_draft_state()
    {
        using var contract = new GitHubContract { AnyHeadExists = true };
        using var client = new GitHubForgeClient(Http(contract));

        var opened = await client.OpenPullRequestAsync(Spec(labels: ["deploy", "web"], reviewers: ["alice", "team/ops"], draft: true), None);

        contract.AssertHonoured();
        var pull = contract.PullRequests[opened.Number];
        Assert.AreEqual("https://github.example/team/config/pull/1", opened.Url);
        Assert.AreEqual("gitops/team-web-a1b2c3d", opened.Head);
        Assert.AreEqual("Deploy team/web:a1b2c3d", (string?)pull["title"]);
        Assert.IsTrue((bool)pull["draft"]!);
        CollectionAssert.AreEqual(new[] { "deploy", "web" }, pull["labels"]!.AsArray().Select(l => (string?)l!["name"]).ToArray());
        Assert.AreEqual("alice", (string?)pull["requested_reviewers"]![0]!["login"]);
        Assert.AreEqual("ops", (string?)pull["requested_teams"]![0]!["slug"]);
        Assert.IsTrue(contract.Server.Requests.All(r => r.Authorization == "Bearer " + GitHubContract.Token));
    }

    [TestMethod]
    public async Task Finds_the_open_pull_request_from_the_same_head_into_the_same_base_only()
    {
        using var contract = new GitHubContract();
        contract.Branches.Add("production");
        contract.Seed("gitops/team-web-a1b2c3d", "production", "other base", "");
        var same = contract.Seed("gitops/team-web-a1b2c3d", "main", "same", "");
        contract.Seed("gitops/team-web-ffff000", "main", "other head", "");
        using var client = new GitHubForgeClient(Http(contract));

        var found = await client.FindOpenPullRequestAsync("gitops/team-web-a1b2c3d", "main", None);
        var none = await client.FindOpenPullRequestAsync("gitops/team-web-0000000", "main", None);

        contract.AssertHonoured();
        Assert.AreEqual((long)same["number"]!, found?.Number);
        Assert.AreEqual("same", found?.Title);
        Assert.IsNotNull(found?.ForgeId);
        Assert.IsNull(none);
    }

    [TestMethod]
    public async Task Updates_the_title_and_body_of_an_open_pull_request()
    {
        using var contract = new GitHubContract();
        var seeded = contract.Seed("gitops/x", "main", "old", "old body");
        using var client = new GitHubForgeClient(Http(contract));
        var existing = (await client.FindOpenPullRequestAsync("gitops/x", "main", None))!;

        var updated = await client.UpdatePullRequestAsync(existing, Spec(head: "gitops/x", title: "new", body: "new body", labels: ["deploy"]), None);

        contract.AssertHonoured();
        Assert.AreEqual("new", (string?)seeded["title"]);
        Assert.AreEqual("new body", (string?)seeded["body"]);
        Assert.AreEqual("new", updated.Title);
        Assert.AreEqual(1, contract.PullRequests.Count);
        Assert.AreEqual("deploy", (string?)seeded["labels"]![0]!["name"]);
    }

    [TestMethod]
    public async Task Lists_open_pull_requests_into_a_base_and_closes_one_with_a_comment_and_its_branch()
    {
        using var contract = new GitHubContract();
        var old = contract.Seed("gitops/team-web-1111111", "main", "old", "");
        contract.Seed("feature/other", "main", "someone's", "");
        using var client = new GitHubForgeClient(Http(contract));

        var open = await client.ListOpenPullRequestsAsync("main", None);
        await client.ClosePullRequestAsync(open.Single(p => p.Head == "gitops/team-web-1111111"), "Superseded by #9.", None);

        contract.AssertHonoured();
        Assert.AreEqual(2, open.Count);
        Assert.AreEqual("closed", (string?)old["state"]);
        Assert.AreEqual("Superseded by #9.", contract.Comments[(long)old["number"]!].Single());
        CollectionAssert.AreEqual(new[] { "gitops/team-web-1111111" }, contract.DeletedBranches);
        Assert.AreEqual(1, contract.Open.Count());
    }

    [TestMethod]
    public async Task Auto_merge_is_enabled_through_GraphQL_with_the_merge_method()
    {
        using var contract = new GitHubContract();
        contract.Seed("gitops/x", "main", "t", "");
        using var client = new GitHubForgeClient(Http(contract));
        var pull = (await client.FindOpenPullRequestAsync("gitops/x", "main", None))!;

        var outcome = await client.EnableAutoMergeAsync(pull, MergeMethod.Squash, None);

        contract.AssertHonoured();
        Assert.AreEqual(AutoMergeState.Enabled, outcome.State);
        Assert.AreEqual("SQUASH", contract.AutoMerge[pull.Number]);
        Assert.IsTrue(contract.Server.Requests.Any(r => r.RawUrl == "/api/graphql" && r.Authorization == "Bearer " + GitHubContract.Token));
    }

    [TestMethod]
    public async Task Auto_merge_disabled_on_the_repository_is_reported_not_thrown()
    {
        using var contract = new GitHubContract { AllowAutoMerge = false };
        contract.Seed("gitops/x", "main", "t", "");
        using var client = new GitHubForgeClient(Http(contract));
        var pull = (await client.FindOpenPullRequestAsync("gitops/x", "main", None))!;

        var outcome = await client.EnableAutoMergeAsync(pull, MergeMethod.Merge, None);

        Assert.AreEqual(AutoMergeState.Disabled, outcome.State);
        StringAssert.Contains(outcome.Detail, "not allowed");
        Assert.AreEqual(0, contract.AutoMerge.Count);
    }

    [TestMethod]
    public async Task Checking_access_reads_the_base_branch_once()
    {
        using var contract = new GitHubContract();
        using var client = new GitHubForgeClient(Http(contract));

        var baseBranch = await client.CheckAccessAsync("main", None);

        contract.AssertHonoured();
        Assert.AreEqual("main", baseBranch);
        Assert.AreEqual("repos/get-branch", contract.Server.Requests.Single().Operation?.OperationId);
    }

    [TestMethod]
    public async Task Checking_access_without_a_base_branch_reads_the_repository_and_returns_its_default_branch()
    {
        using var contract = new GitHubContract();
        using var client = new GitHubForgeClient(Http(contract));

        var baseBranch = await client.CheckAccessAsync(null, None);

        contract.AssertHonoured();
        Assert.AreEqual("main", baseBranch);
        Assert.AreEqual("repos/get", contract.Server.Requests.Single().Operation?.OperationId);
    }

    [TestMethod]
    public async Task A_bad_token_is_GITOPS125()
    {
        using var contract = new GitHubContract();
        using var client = new GitHubForgeClient(Http(contract, token: "ghp_wrong"));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.CheckAccessAsync("main", None));

        Assert.AreEqual("GITOPS125", error.Code);
        StringAssert.Contains(error.Message, "GITOPS_FORGE_TOKEN");
        Assert.IsFalse(error.Message.Contains("ghp_wrong", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task A_403_names_the_scope_GitHub_says_is_missing()
    {
        using var contract = new GitHubContract { AnyHeadExists = true };
        contract.Server.Fail("pulls/create", ContractResponse.Error(403, "Resource not accessible by personal access token",
            new Dictionary<string, string> { ["X-Accepted-OAuth-Scopes"] = "repo", ["X-OAuth-Scopes"] = "read:org" }));
        using var client = new GitHubForgeClient(Http(contract));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.OpenPullRequestAsync(Spec(), None));

        Assert.AreEqual("GITOPS126", error.Code);
        StringAssert.Contains(error.Message, "the scope repo (it has: read:org)");
        StringAssert.Contains(error.Message, "Resource not accessible");
    }

    [TestMethod]
    public async Task A_missing_base_branch_is_GITOPS127_naming_it()
    {
        using var contract = new GitHubContract();
        using var client = new GitHubForgeClient(Http(contract));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.CheckAccessAsync("production", None));

        Assert.AreEqual("GITOPS127", error.Code);
        StringAssert.Contains(error.Message, "'production'");
        StringAssert.Contains(error.Message, "team/config");
    }

    [TestMethod]
    public async Task A_validation_failure_is_GITOPS128_with_GitHubs_message()
    {
        using var contract = new GitHubContract();
        using var client = new GitHubForgeClient(Http(contract));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.OpenPullRequestAsync(Spec(head: "never-pushed"), None));

        contract.AssertHonoured();
        Assert.AreEqual("GITOPS128", error.Code);
        StringAssert.Contains(error.Message, "Validation Failed");
        StringAssert.Contains(error.Message, "head");
    }

    [TestMethod]
    public async Task A_rate_limit_within_the_deadline_is_waited_out_as_Retry_After_asks()
    {
        using var contract = new GitHubContract();
        contract.Server.Fail("repos/get-branch", ContractResponse.Error(429, "You have exceeded a secondary rate limit",
            new Dictionary<string, string> { ["Retry-After"] = "1" }));
        var log = new RecordingLog();
        using var client = new GitHubForgeClient(Http(contract, log: log));

        await client.CheckAccessAsync("main", None);

        Assert.AreEqual(2, contract.Server.RequestsTo("repos/get-branch").Count());
        StringAssert.Contains(log.Lines.Single(), "rate-limited");
    }

    [TestMethod]
    public async Task A_rate_limit_reset_beyond_the_deadline_is_GITOPS129_without_waiting()
    {
        using var contract = new GitHubContract();
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString();
        contract.Server.Fail("repos/get-branch", ContractResponse.Error(403, "API rate limit exceeded",
            new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset }));
        using var client = new GitHubForgeClient(Http(contract, timeout: TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.CheckAccessAsync("main", None));

        Assert.AreEqual("GITOPS129", error.Code);
        Assert.AreEqual(1, contract.Server.RequestsTo("repos/get-branch").Count());
    }

    [TestMethod]
    public async Task Credentials_go_to_the_API_origin_only()
    {
        using var contract = new GitHubContract();
        using var elsewhere = new GitHubContract();
        using var http = Http(contract);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(elsewhere.Server.ApiRoot, "repos/team/config/branches/main"));
        using var response = await http.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.IsNull(elsewhere.Server.Requests.Single().Authorization);
    }

    private sealed class RecordingLog : IBuildLog
    {
        public List<string> Lines { get; } = [];

        public void Important(string message) => Lines.Add(message);

        public void Detail(string message) { }

        public void Warning(GitOpsError warning, params object?[] args) => Lines.Add(warning.Format(args));
    }
}
