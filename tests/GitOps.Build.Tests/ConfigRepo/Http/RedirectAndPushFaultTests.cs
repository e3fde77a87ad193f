using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// Where credentials go, and a push that is never answered: a loopback front (<see cref="GitServerFront"/>) before the
/// real git server (nginx + git http-backend) forwards the git protocol and adds the fault.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class RedirectAndPushFaultTests
{
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;

    /// <summary>http://127.0.0.1:8081: the real server's origin.</summary>
    private string Upstream => new Uri(environment.GitHttpBase).GetLeftPart(UriPartial.Authority);

    /// <summary>/git/configrepo-tests/x.git: the repository's path on the real server.</summary>
    private string RepositoryPathOnServer => new Uri(repository.Url(environment.GitHttpBase)).AbsolutePath;

    [TestInitialize]
    public void CreateRepository()
    {
        environment = TestEnvironment.Require();
        repository = ServedRepository.Create(environment, "configrepo-tests");
    }

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    [TestMethod]
    [DataRow("127.0.0.2", DisplayName = "another host")]
    [DataRow("127.0.0.1", DisplayName = "the same host on another port")]
    public void A_redirect_to_another_origin_is_refused_with_GITOPS031_and_the_token_never_reaches_it(string otherHost)
    {
        using var capture = LoopbackServer.Answering("401 Unauthorized", "text/plain", "who are you", otherHost,
            "WWW-Authenticate: Basic realm=\"capture\"\r\n");
        using var front = GitServerFront.Create(Upstream, _ => new FrontAction.Redirect(capture.BaseUrl + RepositoryPathOnServer + "/info/refs?service=git-upload-pack"));
        var tip = repository.Tip();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Writer().Commit(Request(front.BaseUrl + RepositoryPathOnServer), Change()));

        Assert.AreEqual(Errors.ConfigRedirectRefused.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, capture.BaseUrl);
        Assert.AreEqual(0, capture.Requests.Count, "nothing may be sent to the other origin");
        Assert.AreEqual(environment.WriterCredentialsHeader(), front.Requests.Single().Authorization, "the configured origin got the token");
        Assert.AreEqual(tip, repository.Tip());
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void Credentials_written_into_the_URL_are_not_sent_to_a_redirect_target_either()
    {
        using var capture = LoopbackServer.Answering("401 Unauthorized", "text/plain", "who are you", "127.0.0.2");
        using var front = GitServerFront.Create(Upstream, _ => new FrontAction.Redirect(capture.BaseUrl + "/elsewhere.git/info/refs?service=git-upload-pack"));
        var url = front.BaseUrl.Replace("http://", $"http://{environment.GitUsername}:{environment.GitToken}@") + RepositoryPathOnServer;

        var error = Assert.ThrowsExactly<GitOpsException>(() => Writer(credentials: null).Commit(Request(url), Change()));

        Assert.AreEqual(Errors.ConfigRedirectRefused.Code, error.Code, error.Message);
        Assert.AreEqual(0, capture.Requests.Count);
        Assert.IsFalse(error.Message.Contains(environment.GitToken, StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    public void A_redirect_within_the_same_origin_is_followed_with_credentials_for_the_clone_and_the_push()
    {
        const string moved = "/moved-away";
        using var front = GitServerFront.Create(Upstream, request =>
            request.Target.StartsWith(moved, StringComparison.Ordinal)
                ? new FrontAction.Redirect(request.Target[moved.Length..])
                : new FrontAction.Forward());

        var result = Writer().Commit(Request(front.BaseUrl + moved + RepositoryPathOnServer), Change());

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        var requests = front.Requests.Select(request => $"{request.Method} {request.Target}").ToList();
        // Each connection starts at the URL given and follows the redirect once: the clone (after the treeless probe,
        // when the server serves no filters), the push, and the listing that checks the push landed.
        var started = requests.Count(r => r.StartsWith("GET " + moved, StringComparison.Ordinal));
        var followed = requests.Count(r => r.StartsWith($"GET {RepositoryPathOnServer}/info/refs", StringComparison.Ordinal));
        Assert.IsTrue(started >= 3, string.Join("\n", requests));
        Assert.AreEqual(started, followed, "every redirect is followed once:\n" + string.Join("\n", requests));
        Assert.IsTrue(requests.Contains($"POST {RepositoryPathOnServer}/git-receive-pack"), "the push goes to where the redirect pointed:\n" + string.Join("\n", requests));
        Assert.IsTrue(front.Requests.All(request => request.Authorization == environment.WriterCredentialsHeader()));
    }

    [TestMethod]
    public void A_push_whose_POST_is_never_answered_fails_with_GITOPS030_and_leaves_the_branch_unchanged()
    {
        using var front = GitServerFront.Create(Upstream, request =>
            request.Method == "POST" && request.Target.EndsWith("/git-receive-pack", StringComparison.Ordinal)
                ? new FrontAction.Swallow()
                : new FrontAction.Forward());
        var tip = repository.Tip();

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(timeout: TimeSpan.FromSeconds(3)).Commit(Request(front.BaseUrl + RepositoryPathOnServer), Change()));

        Assert.AreEqual(Errors.ConfigTimedOut.Code, error.Code, error.Message);
        Assert.IsTrue(front.Requests.Any(request => request.Method == "POST" && request.Target.EndsWith("/git-receive-pack", StringComparison.Ordinal)),
            "the push was sent");
        Assert.AreEqual(tip, repository.Tip());
        repository.AssertNoClonesLeft();
    }

    private ConfigRepositoryWriter Writer(TimeSpan? timeout = null, bool withToken = true) =>
        Writer(withToken ? environment.WriterCredentials : null, timeout);

    private ConfigRepositoryWriter Writer(GitCredentials? credentials, TimeSpan? timeout = null) =>
        new(credentials, NullBuildLog.Instance,
            new ConfigWriterOptions { Transports = TestTransports.Direct, Timeout = timeout ?? TimeSpan.FromSeconds(60), WorkDirectory = repository.WorkDirectory, PushRetries = 0 }, Backoff.None);

    private static ConfigCommitRequest Request(string url) => ConfigRepositoryWriterTests.Request(url);

    private static FunctionChange Change() =>
        new((_, _) => new Dictionary<string, byte[]> { [ServedRepository.Manifest] = Encoding.UTF8.GetBytes(ServedRepository.NewManifest) });
}
