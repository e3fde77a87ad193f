using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.AzureDevOps;
using GitOps.Build.Forge.Bitbucket;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Forge.GitLab;
using GitOps.Build.Forge.Gitea;
using GitOps.Build.Tests.ConfigRepo.Http;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.Forge.HostileForge;

namespace GitOps.Build.Tests.Forge;

/// <summary>
/// The fifth hostile probe (issue 20): a promotion's history read through the forge API (HistoryAsync, MessageAsync)
/// from loopback servers on the routes the contract tests hold to each forge. Every answer must end in a coded error or
/// a bounded result, within the deadline, never an exception type (MSB4018) or a loop.
/// </summary>
[TestClass]
public sealed class HostileForgeHistoryTests
{
    private readonly RecordingLog log = new();

    private ForgeHttp Http(ForgeKind kind, LoopbackServer server, string apiPath, TimeSpan deadline) => HostileForge.Http(kind, server, apiPath, deadline, log);

    // Longer than the tests' own timeouts: a listing must end at the page bound, not at the deadline (GITOPS030).
    private static readonly TimeSpan Patient = TimeSpan.FromMinutes(5);

    // Issue 20: histories of full pages without ids had no page bound and ended only at the deadline; every API
    // listing stops at ForgeCalls.MaxTreePages (1,000 pages) with GITOPS107.
    private static void AssertPageBound(GitOpsException error)
    {
        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, $"more than {ForgeCalls.MaxTreePages} pages");
    }

    private static IReadOnlyList<ForgeChange> History(IForgeCommits forge) =>
        forge.HistoryAsync(Tip, "apps/web/deployment.yaml", ConfigRepositoryReader.HistoryDepth, CancellationToken.None).GetAwaiter().GetResult();

    [TestMethod]
    [DataRow("")]
    [DataRow("file:///etc/passwd")]
    [DataRow("/2.0/repositories/team/config/commits/x")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_Bitbucket_history_whose_next_page_is_not_an_HTTP_URL_is_GITOPS107(string next)
    {
        // Before: "next" was followed unchecked (the tree listing's is checked): file:// was NotSupportedException
        // (MSB4018); an empty or relative link read the same page again until the deadline.
        using var server = Routes(_ => $$"""{"values":[{"hash":"","message":"x"}],"next":"{{next}}"}""");
        using var forge = new BitbucketCommits(Http(ForgeKind.Bitbucket, server, "/2.0/", Patient));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_Bitbucket_history_whose_next_page_is_itself_ends_at_the_page_bound_with_GITOPS107()
    {
        string? self = null;
        using var server = Routes(target => $$"""{"values":[{"hash":"","message":"x"}],"next":"{{self}}"}""");
        self = server.BaseUrl + "/2.0/repositories/team/config/commits/x";
        using var forge = new BitbucketCommits(Http(ForgeKind.Bitbucket, server, "/2.0/", Patient));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        AssertPageBound(error);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_GitHub_history_of_full_pages_without_ids_ends_at_the_page_bound_with_GITOPS107()
    {
        var page = "[" + string.Join(",", Enumerable.Range(0, 100).Select(_ => """{"sha":"","commit":{"message":"x"}}""")) + "]";
        using var server = Routes(_ => page);
        using var forge = new GitHubCommits(Http(ForgeKind.GitHub, server, "/", Patient));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        AssertPageBound(error);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_GitLab_history_of_full_pages_without_ids_ends_at_the_page_bound_with_GITOPS107()
    {
        var page = "[" + string.Join(",", Enumerable.Range(0, 100).Select(_ => """{"id":"","message":"x"}""")) + "]";
        using var server = Routes(_ => page);
        using var forge = new GitLabCommits(Http(ForgeKind.GitLab, server, "/api/v4/", Patient));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        AssertPageBound(error);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_Gitea_history_of_full_pages_without_ids_ends_at_the_page_bound_with_GITOPS107()
    {
        var page = "[" + string.Join(",", Enumerable.Range(0, 50).Select(_ => """{"sha":"","commit":{"message":"x"}}""")) + "]";
        using var server = Routes(_ => page);
        using var forge = new GiteaCommits(Http(ForgeKind.Gitea, server, "/api/v1/", Patient));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        AssertPageBound(error);
    }

    [TestMethod]
    public void Held_a_GitHub_history_answer_of_64_MiB_is_GITOPS107()
    {
        var message = new string('a', 64 * 1024 * 1024);
        using var server = Routes(_ => $$$"""[{"sha":"{{{Sha}}}","commit":{"message":"{{{message}}}"}}]""");
        using var forge = new GitHubCommits(Http(ForgeKind.GitHub, server, "/", TimeSpan.FromMinutes(2)));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void An_Azure_DevOps_history_of_full_pages_without_ids_ends_at_the_page_bound_with_GITOPS107()
    {
        // The next page's skip is the count of commits kept: entries without an id never move it (the same page again).
        var page = "{\"count\":100,\"value\":[" + string.Join(",", Enumerable.Range(0, 100).Select(_ => """{"commitId":"","comment":"x"}""")) + "]}";
        using var server = Routes(target => target.Contains("commitsbatch", StringComparison.Ordinal) ? page : """{"id":"r1","name":"config"}""");
        using var forge = new AzureDevOpsCommits(new ForgeHttp(
            new ForgeRepository(ForgeKind.AzureDevOps, new Uri(server.BaseUrl + "/org/"), "org", "proj", "config", "https://forge.example/org/proj/_git/config"),
            new ForgeCredentials("forge-token", ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct,
            new Deadline(Patient, CancellationToken.None), log));

        var error = Assert.ThrowsExactly<GitOpsException>(() => History(forge));

        AssertPageBound(error);
    }
}
