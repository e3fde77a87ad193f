using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.Bitbucket;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Forge.GitLab;
using GitOps.Build.Tests.ConfigRepo.Http;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Verdict.ArgoCd;

namespace GitOps.Build.Tests.Forge;

/// <summary>
/// Answers no forge or Argo CD gives, from loopback servers: each is a coded error (GITOPS107, GITOPS129), never a
/// stack trace, a crash of the build's process (Octokit's recursive JSON parser), memory filled until the deadline or
/// a busy loop.
/// </summary>
[TestClass]
public sealed class HostileApiAnswerTests
{
    private const string Commit = "0123456789012345678901234567890123456789";

    private readonly RecordingLog log = new();

    private ForgeHttp Http(ForgeKind kind, LoopbackServer server, string apiPath, TimeSpan? timeout = null, string token = "forge-token") =>
        new(new ForgeRepository(kind, new Uri(server.BaseUrl + apiPath), "team", null, "config", "https://forge.example/team/config.git"),
            new ForgeCredentials(token, ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct,
            new Deadline(timeout ?? TimeSpan.FromSeconds(60), CancellationToken.None), log);

    private static LoopbackServer Answering(string status, string contentType, string body, string? extraHeaders = null) =>
        LoopbackServer.Answering(status, contentType, body, extraHeaders: extraHeaders);

    /// <summary>A 200 whose chunked body never ends.</summary>
    private static LoopbackServer Endless() =>
        new(async (_, stream, token) =>
        {
            await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n", token);
            var chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string(' ', 0x10000) + "\r\n");
            while (!token.IsCancellationRequested)
                await stream.WriteAsync(chunk, token);
        });

    private async Task<GitOpsException> GitLabStatuses(LoopbackServer server, TimeSpan? timeout = null)
    {
        using var reader = new GitLabStatusReader(Http(ForgeKind.GitLab, server, "/api/v4/", timeout));
        return await Assert.ThrowsExactlyAsync<GitOpsException>(() => reader.ReadAsync(Commit, CancellationToken.None));
    }

    private async Task<GitOpsException> GitHubAccess(LoopbackServer server)
    {
        using var client = new GitHubForgeClient(Http(ForgeKind.GitHub, server, "/"));
        return await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.CheckAccessAsync(null, CancellationToken.None));
    }

    [TestMethod]
    [DataRow("200 OK")]
    [DataRow("500 Internal Server Error")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task A_GitHub_answer_nested_100000_deep_is_GITOPS107_not_a_stack_overflow_that_kills_the_build(string status)
    {
        // Octokit parses every answer, an error's too, with a parser that recurses once per level.
        using var server = Answering(status, "application/json", new string('[', 100_000));

        var error = await GitHubAccess(server);

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
        StringAssert.Contains(error.Message, "nested deeper than 64 levels");
    }

    [TestMethod]
    public async Task A_GitHub_200_answer_of_HTML_is_GITOPS107_not_a_null_reference()
    {
        using var server = Answering("200 OK", "text/html", "<html><body>Sign in to continue</body></html>");

        var error = await GitHubAccess(server);

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task An_answer_without_end_is_read_up_to_32_MiB_then_GITOPS107()
    {
        using var server = Endless();

        var error = await GitLabStatuses(server, TimeSpan.FromSeconds(100));

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
        StringAssert.Contains(error.Message, "over 32 MiB");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task A_list_whose_pages_never_end_is_GITOPS107_after_100_pages()
    {
        var page = "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"{{\"id\":{i},\"name\":\"flux-{i}\",\"status\":\"running\"}}")) + "]";
        using var server = Answering("200 OK", "application/json", page);

        var error = await GitLabStatuses(server, TimeSpan.FromSeconds(100));

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
        StringAssert.Contains(error.Message, "more than 100 pages");
        Assert.AreEqual(100, server.Requests.Count);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("file:///etc/passwd")]
    [DataRow("statuses?page=2")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task A_Bitbucket_next_link_that_is_no_HTTP_URL_is_GITOPS107_not_the_same_page_again_or_a_stack_trace(string next)
    {
        using var server = Answering("200 OK", "application/json", $"{{\"values\":[],\"next\":\"{next}\"}}");
        using var reader = new BitbucketStatusReader(Http(ForgeKind.Bitbucket, server, "/2.0/", TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => reader.ReadAsync(Commit, CancellationToken.None));

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
        Assert.AreEqual(1, server.Requests.Count);
    }

    [TestMethod]
    [DataRow("text/html", "<html>Sign in</html>")]
    [DataRow("application/json", "{\"message\":\"an object, not the list\"}")]
    [DataRow("application/json; charset=bogus", "[]")]
    public async Task A_200_answer_that_is_not_the_JSON_expected_is_GITOPS107(string contentType, string body)
    {
        using var server = Answering("200 OK", contentType, body);

        var error = await GitLabStatuses(server);

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
    }

    [TestMethod]
    public async Task A_rate_limit_reset_past_the_year_9999_is_GITOPS129_not_a_stack_trace()
    {
        using var server = Answering("429 Too Many Requests", "application/json", "{}", "X-RateLimit-Reset: 99999999999999\r\n");

        var error = await GitLabStatuses(server);

        Assert.AreEqual("GITOPS129", error.Code, error.Message);
    }

    [TestMethod]
    [DataRow("Retry-After: 0")]
    [DataRow("X-RateLimit-Reset: -5")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task A_rate_limit_that_asks_for_no_wait_is_waited_out_with_a_growing_pause_not_a_busy_loop(string header)
    {
        using var server = Answering("429 Too Many Requests", "application/json", "{}", header + "\r\n");

        var error = await GitLabStatuses(server, TimeSpan.FromSeconds(4));

        Assert.IsTrue(error.Code is "GITOPS030" or "GITOPS129", error.Message);
        var waits = log.Important.Where(line => line.Contains("rate-limited", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(waits.Count > 0, string.Join("\n", log.Important));
        StringAssert.Contains(waits[0], "waiting 1 s");
        if (waits.Count > 1)
            StringAssert.Contains(waits[1], "waiting 2 s");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task An_Argo_CD_answer_without_end_is_read_up_to_32_MiB_then_GITOPS107()
    {
        using var server = Endless();
        var settings = new ArgoCdSettings(new Uri(server.BaseUrl + "/"), "argo-token", [new ArgoCdApplicationName(null, "web")], Refresh: false);
        using var client = new ArgoCdClient(settings, HttpTransportSettings.Direct);

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.GetApplicationAsync(settings.Applications[0], refresh: false, CancellationToken.None));

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
    }

    [TestMethod]
    public async Task An_Argo_CD_answer_in_a_character_set_dotnet_does_not_know_is_read_as_UTF_8()
    {
        using var server = Answering("200 OK", "application/json; charset=bogus", "{\"status\":{\"sync\":{\"status\":\"Synced\",\"revision\":\"" + Commit + "\"}}}");
        var settings = new ArgoCdSettings(new Uri(server.BaseUrl + "/"), "argo-token", [new ArgoCdApplicationName(null, "web")], Refresh: false);
        using var client = new ArgoCdClient(settings, HttpTransportSettings.Direct);

        var application = await client.GetApplicationAsync(settings.Applications[0], refresh: false, CancellationToken.None);

        Assert.AreEqual(Commit, application.Status?.Sync?.Revision);
    }

    [TestMethod]
    public async Task A_token_that_the_server_echoes_in_its_error_is_scrubbed_from_the_message()
    {
        // A debugging proxy or a server that quotes the request's headers; the message reaches the log and the outputs.
        const string token = "glpat-echoed0123456789abcdef";
        using var server = Answering("401 Unauthorized", "application/json", $"{{\"message\":\"401 Unauthorized (Authorization: Bearer {token})\"}}");
        using var reader = new GitLabStatusReader(Http(ForgeKind.GitLab, server, "/api/v4/", token: token));

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => reader.ReadAsync(Commit, CancellationToken.None));

        Assert.AreEqual("GITOPS125", error.Code, error.Message);
        Assert.IsFalse(error.Message.Contains(token, StringComparison.Ordinal), error.Message);
        StringAssert.Contains(error.Message, "Bearer ***");
    }

    [TestMethod]
    [DataRow(ForgeCredentials.ForgeTokenVariable)]
    [DataRow(ForgeCredentials.TokenVariable)]
    [DataRow(ArgoCdSettings.TokenVariable)]
    public void A_token_with_a_line_break_or_NUL_inside_is_GITOPS035_naming_the_variable(string variable)
    {
        foreach (var token in new[] { "abc\ndef", "abc\0def" })
        {
            string? Environment(string name) => name == variable ? token : name == ArgoCdSettings.ServerVariable ? "https://argocd.example" : null;

            var error = Assert.ThrowsExactly<GitOpsException>(() =>
            {
                if (variable == ArgoCdSettings.TokenVariable) ArgoCdSettings.From("web", refresh: false, Environment);
                else ForgeCredentials.FromEnvironment(Environment);
            });

            Assert.AreEqual("GITOPS035", error.Code, error.Message);
            StringAssert.Contains(error.Message, variable);
            Assert.IsFalse(error.Message.Contains("abc", StringComparison.Ordinal), "the token is not shown");
        }
    }
}
