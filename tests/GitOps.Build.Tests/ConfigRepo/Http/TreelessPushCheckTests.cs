using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// The check after a treeless push (issue 20): a listing of the server's refs that cannot be read is not taken for
/// "the treeless clone is unavailable" (which cloned again, found its own commit at the tip and reported the deploy as
/// already there, the commit's id lost). A front (<see cref="GitServerFront"/>, forwarding Git-Protocol so protocol v2
/// reaches the real server) garbles only the listings that follow the receive-pack POST.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class TreelessPushCheckTests
{
    private readonly RecordingLog log = new();
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;
    private volatile bool pushed;

    [TestInitialize]
    public void CreateRepository()
    {
        environment = TestEnvironment.Require();
        repository = ServedRepository.Create(environment, "treeless-tests", filters: true);
    }

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    [TestMethod]
    [DataRow("0008ERR\n", DisplayName = "ERR")]
    [DataRow("zzzz refs/heads/main\n", DisplayName = "not a pkt-line")]
    public void A_garbled_ls_refs_after_the_push_falls_back_to_libgit2s_listing_and_reports_the_commit(string garbled)
    {
        using var front = Front(IsLsRefs, garbled);
        var before = repository.Tip();

        var result = Writer().Commit(ConfigRepositoryWriterTests.Request(front.BaseUrl + PathOnServer), ServedRepository.ReplaceManifest());

        Assert.IsTrue(pushed, "the push went through the front");
        Assert.IsTrue(log.Important.Any(line => line.Contains("without its trees", StringComparison.Ordinal)), "treeless:\n" + string.Join("\n", log.Important));
        Assert.IsTrue(result.Committed, string.Join("\n", log.Important));
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.IsTrue(front.Requests.Any(request => request.Method == "POST" && IsLsRefs(request) && request.Target.EndsWith("/git-upload-pack", StringComparison.Ordinal)));
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void When_no_listing_after_the_push_can_be_read_the_outcome_is_unknown_GITOPS119_never_already_deployed()
    {
        // libgit2's listing (GET info/refs) is garbled as well.
        using var front = Front(request => IsLsRefs(request) || request.Method == "GET", "0008ERR\n");

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer().Commit(ConfigRepositoryWriterTests.Request(front.BaseUrl + PathOnServer), ServedRepository.ReplaceManifest()));

        Assert.AreEqual(Errors.ConfigPushOutcomeUnknown.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, repository.Tip()[..7], "the pushed commit is named");
        Assert.IsFalse(log.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", log.Important));
        repository.AssertNoClonesLeft();
    }

    private string PathOnServer => new Uri(repository.Url(environment.GitHttpBase)).AbsolutePath;

    private static bool IsLsRefs(ReceivedRequest request) =>
        Encoding.ASCII.GetString(request.Body).Contains("command=ls-refs", StringComparison.Ordinal);

    // The real server for everything, but what `garble` picks after the receive-pack POST gets `answer`.
    private LoopbackServer Front(Func<ReceivedRequest, bool> garble, string answer) =>
        GitServerFront.Create(new Uri(environment.GitHttpBase).GetLeftPart(UriPartial.Authority), request =>
        {
            if (request.Method == "POST" && request.Target.EndsWith("/git-receive-pack", StringComparison.Ordinal))
                pushed = true;
            else if (pushed && garble(request))
                return new FrontAction.Answer(request.Method == "GET" ? "application/x-git-upload-pack-advertisement" : "application/x-git-upload-pack-result",
                    Encoding.ASCII.GetBytes(answer));
            return new FrontAction.Forward();
        });

    private ConfigRepositoryWriter Writer() =>
        new(environment.WriterCredentials, log,
            new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = repository.WorkDirectory, PushRetries = 0 }, Backoff.None);
}
