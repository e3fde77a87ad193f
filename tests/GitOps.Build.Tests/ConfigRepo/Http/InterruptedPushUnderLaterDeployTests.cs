using GitOps.Build.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// A push whose answer is lost (the seventh probe's git-route medium): the real server applies it, another deploy of the
/// same manifest lands on top, then the connection is cut. The next round finds our commit under the later one and
/// reports it: it does not apply our (older) image again on top of the later deploy. A loopback front
/// (<see cref="GitServerFront"/>) before the real git server forwards the push, lands the later deploy in the bare
/// repository and drops the connection; everything else it forwards.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class InterruptedPushUnderLaterDeployTests
{
    private const string LaterManifest = "image: registry.example.com/web:ccc3333\n";

    private readonly RecordingLog log = new();
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;
    private string? pushed;
    private string? later;

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    [TestMethod]
    [DataRow(true, DisplayName = "treeless")]
    [DataRow(false, DisplayName = "clone")]
    public void A_push_cut_off_after_it_landed_under_a_later_deploy_is_reported_and_not_applied_again(bool filters)
    {
        environment = TestEnvironment.Require();
        repository = ServedRepository.Create(environment, "interrupted-tests", filters);
        var before = repository.Tip();
        using var front = Front();

        var result = Writer().Commit(ConfigRepositoryWriterTests.Request(front.BaseUrl + new Uri(repository.Url(environment.GitHttpBase)).AbsolutePath),
            ServedRepository.ReplaceManifest());

        var lines = string.Join("\n", log.Important);
        Assert.IsNotNull(pushed, "the push went through the front:\n" + lines);
        Assert.AreEqual(filters, log.Important.Any(line => line.Contains("without its trees", StringComparison.Ordinal)), "the route:\n" + lines);
        Assert.IsTrue(log.Important.Any(line => line.Contains("was interrupted", StringComparison.Ordinal)), lines);
        Assert.AreEqual(pushed, result.CommitSha, "the result names our commit:\n" + lines);
        Assert.AreEqual(later, repository.Tip(), "nothing of ours on top of the later deploy:\n" + lines);
        Assert.AreEqual(before, repository.Git("rev-parse", pushed + "^"));
        Assert.AreEqual(LaterManifest, repository.Git("show", "main:" + ServedRepository.Manifest) + "\n");
        Assert.IsTrue(log.Important.Any(line => line.Contains("later commits are on top of it", StringComparison.Ordinal)), lines);
        // Treeless: the history looked in is fetched as commits alone.
        Assert.AreEqual(filters, front.Requests.Any(request => System.Text.Encoding.ASCII.GetString(request.Body) is var body
            && body.Contains($"deepen {ConfigRepositoryWriter.InterruptedPushHistory}\n", StringComparison.Ordinal)
            && body.Contains("filter tree:0\n", StringComparison.Ordinal)));
        repository.AssertNoClonesLeft();
    }

    /// <summary>
    /// Past the history looked in (<see cref="ConfigRepositoryWriter.InterruptedPushHistory"/> commits), our commit is not
    /// found: the change is applied again on the tip, as before the fix, and the log says why.
    /// </summary>
    [TestMethod]
    public void A_push_cut_off_under_more_later_commits_than_are_looked_in_is_applied_again_and_the_log_says_so()
    {
        environment = TestEnvironment.Require();
        repository = ServedRepository.Create(environment, "interrupted-tests", filters: true);
        using var front = Front(ConfigRepositoryWriter.InterruptedPushHistory + 1);

        var result = Writer().Commit(ConfigRepositoryWriterTests.Request(front.BaseUrl + new Uri(repository.Url(environment.GitHttpBase)).AbsolutePath),
            ServedRepository.ReplaceManifest());

        var lines = string.Join("\n", log.Important);
        Assert.IsNotNull(pushed, "the push went through the front:\n" + lines);
        Assert.AreEqual(repository.Tip(), result.CommitSha, lines);
        Assert.AreEqual(later, result.PreviousTipSha, lines);
        Assert.IsTrue(log.Important.Any(line => line.Contains($"is not among the last {ConfigRepositoryWriter.InterruptedPushHistory} commits", StringComparison.Ordinal)), lines);
        repository.AssertNoClonesLeft();
    }

    // The first push: forwarded (the server applies it), the later deploy landed on it, the connection cut.
    private LoopbackServer Front(int laterCommits = 1) =>
        GitServerFront.Create(new Uri(environment.GitHttpBase).GetLeftPart(UriPartial.Authority), request =>
            request.Method == "POST" && request.Target.EndsWith("/git-receive-pack", StringComparison.Ordinal) && pushed is null
                ? new FrontAction.ForwardThenDrop(() =>
                {
                    pushed = repository.Tip();
                    later = LandLaterDeploy(laterCommits);
                })
                : new FrontAction.Forward());

    // `commits` commits on top of ours, the last a deploy of the same manifest.
    private string LandLaterDeploy(int commits)
    {
        var work = TempDirectory.NewPath(null, "gitops-later-deploy-");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", repository.Path, work);
            for (var i = 1; i < commits; i++)
                GitCli.Run(work, "commit", "--quiet", "--allow-empty", "-m", $"another change {i}");
            File.WriteAllText(Path.Combine(work, ServedRepository.Manifest), LaterManifest);
            GitCli.Run(work, "commit", "--quiet", "-am", "deploy(web): ccc3333");
            GitCli.Run(work, "push", "--quiet", "origin", "main");
            return repository.Tip();
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
    }

    private ConfigRepositoryWriter Writer() =>
        new(environment.WriterCredentials, log,
            new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = repository.WorkDirectory, PushRetries = 2 }, Backoff.None);
}
