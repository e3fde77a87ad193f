using System.Diagnostics;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// A config server that stops talking never hangs the build: every wait ends at GitOpsConfigTimeout (GITOPS030) or on
/// Ctrl+C, and the temporary clone is gone. The servers are loopback fakes: no real git server misbehaves on demand.
/// The time bounds asserted here are hang detectors, several times what the code needs.
/// </summary>
[TestClass]
public sealed class SilentServerTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(15);

    // The deadline's timer may fire a few milliseconds before a stopwatch started earlier reads the full budget.
    private static readonly TimeSpan AtTheTimeout = ShortTimeout - TimeSpan.FromMilliseconds(100);

    private string workDirectory = null!;

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        workDirectory = TempDirectory.NewPath(null, "gitops-silent-");
        Directory.CreateDirectory(workDirectory);
    }

    [TestCleanup]
    public void DeleteWorkDirectory() => TempDirectory.TryDelete(workDirectory);

    [TestMethod]
    public void A_server_that_accepts_and_never_answers_fails_with_GITOPS030_at_the_timeout()
    {
        using var server = LoopbackServer.Silent();

        var (error, elapsed) = Commit(server.BaseUrl + "/config.git", ShortTimeout);

        Assert.AreEqual(Errors.ConfigTimedOut.Code, error.Code, error.Message);
        Assert.IsTrue(elapsed >= AtTheTimeout && elapsed < HangBound, $"took {elapsed}");
        Assert.AreEqual(1, server.Requests.Count, "the request reached the server");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_server_that_sends_headers_and_then_nothing_fails_with_GITOPS030_at_the_timeout()
    {
        using var server = LoopbackServer.HeadersThenSilence();

        var (error, elapsed) = Commit(server.BaseUrl + "/config.git", ShortTimeout);

        Assert.AreEqual(Errors.ConfigTimedOut.Code, error.Code, error.Message);
        Assert.IsTrue(elapsed >= AtTheTimeout && elapsed < HangBound, $"took {elapsed}");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void Ctrl_C_stops_a_clone_that_waits_on_a_silent_server_at_once()
    {
        using var server = LoopbackServer.Silent();
        using var cancellation = new CancellationTokenSource();
        var writer = new ConfigRepositoryWriter(null, NullBuildLog.Instance,
            new ConfigWriterOptions { Transports = TestTransports.Direct, Timeout = TimeSpan.FromMinutes(5), WorkDirectory = workDirectory, PushRetries = 0 });

        var run = Task.Run(() => writer.Commit(ConfigRepositoryWriterTests.Request(server.BaseUrl + "/config.git"),
            FunctionChange.Replace("a.yaml", "a", "b"), cancellationToken: cancellation.Token));
        Assert.IsTrue(SpinWait.SpinUntil(() => !server.Requests.IsEmpty, HangBound), "the clone never reached the server");
        cancellation.Cancel();

        // Only the cancellation can end the wait before the 5-minute limit: no stopwatch needed.
        Assert.IsTrue(((IAsyncResult)run).AsyncWaitHandle.WaitOne(HangBound), "the clone did not stop");
        Assert.IsInstanceOfType<OperationCanceledException>(run.Exception!.InnerException);
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_web_page_instead_of_a_git_server_fails_with_a_message_that_says_so()
    {
        using var server = LoopbackServer.Answering("200 OK", "text/html", "<html>Sign in</html>");

        var (error, _) = Commit(server.BaseUrl + "/config.git", TimeSpan.FromSeconds(30));

        Assert.AreEqual(Errors.ConfigGitFailed.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "not a Git smart-HTTP endpoint (Content-Type 'text/html'");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_closed_port_is_retried_as_unreachable_and_then_fails_with_GITOPS021()
    {
        using var server = LoopbackServer.Silent();
        var url = server.BaseUrl + "/config.git";
        server.Dispose();

        var log = new RecordingLog();

        var (error, _) = Commit(url, TimeSpan.FromSeconds(30), retries: 1, log);

        Assert.AreEqual(Errors.ConfigServerUnreachable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "Connection refused");
        // The retry itself, not only the final error: a first attempt that failed at once would give the same code.
        var retries = log.Important.Where(line => line.Contains(" is unreachable (", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, retries.Count, string.Join("\n", log.Important));
        StringAssert.StartsWith(retries[0], $"GitOps: attempt 1 of 2: {url} is unreachable (");
    }

    private (GitOpsException Error, TimeSpan Elapsed) Commit(string url, TimeSpan timeout, int retries = 0, IBuildLog? log = null)
    {
        var writer = new ConfigRepositoryWriter(null, log ?? NullBuildLog.Instance,
            new ConfigWriterOptions { Transports = TestTransports.Direct, Timeout = timeout, WorkDirectory = workDirectory, PushRetries = retries }, Backoff.None);
        var clock = Stopwatch.StartNew();
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            writer.Commit(ConfigRepositoryWriterTests.Request(url), FunctionChange.Replace("a.yaml", "a", "b")));
        return (error, clock.Elapsed);
    }

    private void AssertNoClonesLeft() => TemporaryClones.AssertNoneLeft(workDirectory);
}
