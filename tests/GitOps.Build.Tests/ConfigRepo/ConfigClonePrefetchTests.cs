using System.Net;
using System.Net.Sockets;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// The config repository cloned while the app builds: used by the write-back when it is of the branch written to,
/// cloned again when the branch moved meanwhile (without spending a retry), deleted when nobody used it.
/// </summary>
[TestClass]
public sealed class ConfigClonePrefetchTests
{
    private readonly RecordingLog log = new();

    [TestMethod]
    public void The_early_clone_is_used_instead_of_a_second_one()
    {
        using var remote = TwoApps.Create();
        var before = remote.Tip("main");

        using (var prefetch = Start(remote, "main"))
        {
            var result = Writer(remote).Commit(ConfigRepositoryWriterTests.Request(remote.Path), TwoApps.DeployWeb(), prefetch);

            Assert.IsTrue(result.Committed);
            Assert.AreEqual(before, result.PreviousTipSha);
            Assert.AreEqual(result.CommitSha, remote.Tip("main"));
            var clones = log.Important.Where(line => line.StartsWith("GitOps: cloned ", StringComparison.Ordinal)).ToList();
            Assert.HasCount(1, clones, string.Join('\n', log.Important));
            StringAssert.Contains(clones[0], "while the app was built");
        }
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void A_branch_that_moved_while_the_app_built_is_cloned_again_without_spending_a_retry()
    {
        using var remote = TwoApps.Create();
        string? competitor = null;
        var change = TwoApps.DeployWeb(application =>
        {
            // Another pipeline deploys after our early clone: it is stale when we push.
            if (application == 1)
                competitor = TwoApps.DeployApi(remote, "ddd4444");
        });

        using var prefetch = Start(remote, "main");
        var result = Writer(remote, pushRetries: 0).Commit(ConfigRepositoryWriterTests.Request(remote.Path), change, prefetch);

        Assert.IsTrue(result.Committed, "with no retries allowed, a stale early clone still lands");
        Assert.AreEqual(competitor, result.PreviousTipSha);
        Assert.AreEqual(2, change.Applications);
        Assert.AreEqual("image: registry.example.com/api:ddd4444", remote.Git("show", $"main:{TwoApps.ApiManifest}"), "the other deploy is kept");
        Assert.AreEqual("image: registry.example.com/web:bbb2222", remote.Git("show", $"main:{TwoApps.WebManifest}"));
        Assert.IsTrue(log.Important.Any(line => line.Contains("moved while the app was built", StringComparison.Ordinal)), string.Join('\n', log.Important));
    }

    [TestMethod]
    public void A_clone_of_another_branch_is_not_used_and_is_deleted()
    {
        using var remote = TwoApps.Create();
        remote.Git("branch", "staging", "main");

        using (var prefetch = Start(remote, "main"))
        {
            var result = Writer(remote).Commit(ConfigRepositoryWriterTests.Request(remote.Path, branch: "staging"), TwoApps.DeployWeb(), prefetch);

            Assert.AreEqual("staging", result.Branch);
            Assert.IsFalse(log.Important.Any(line => line.Contains("while the app was built", StringComparison.Ordinal)), string.Join('\n', log.Important));
        }
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void A_failed_early_clone_is_reported_by_the_writers_own_clone()
    {
        using var remote = TwoApps.Create();

        using var prefetch = Start(remote, "release");
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(remote).Commit(ConfigRepositoryWriterTests.Request(remote.Path, branch: "release"), TwoApps.DeployWeb(), prefetch));

        Assert.AreEqual(Errors.ConfigBranchMissing.Code, error.Code);
        Assert.IsTrue(log.Detail.Any(line => line.Contains("made while the app was built failed", StringComparison.Ordinal)), string.Join('\n', log.Detail));
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void A_build_that_fails_while_the_early_clone_runs_leaves_no_clone_behind()
    {
        using var remote = TwoApps.Create();
        // The gate: a listener in this process that accepts the clone's first request and never answers it.
        var gate = new TcpListener(IPAddress.Loopback, 0);
        gate.Start();
        try
        {
            var prefetch = ConfigClonePrefetch.Start(ConfigRepositoryLocation.Parse($"http://127.0.0.1:{((IPEndPoint)gate.LocalEndpoint).Port}/config.git"),
                "main", null, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory });
            using var held = gate.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            Assert.HasCount(1, Directory.GetFileSystemEntries(remote.WorkDirectory), "the clone is under way");

            // Dispose stops the clone that waits on the silent server (the transport honours the cancellation) and deletes it.
            var disposing = Task.Run(prefetch.Dispose);
            Assert.IsTrue(disposing.Wait(TimeSpan.FromSeconds(10)), "Dispose stopped the clone although the server never answered");
        }
        finally
        {
            gate.Stop();
        }
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void A_build_that_fails_after_the_early_clone_finished_leaves_no_clone_behind()
    {
        using var remote = TwoApps.Create();

        var prefetch = Start(remote, "main");
        // Elapsed is set once the clone is complete: Dispose then finds a clone nobody took.
        Assert.IsTrue(SpinWait.SpinUntil(() => prefetch.Elapsed > TimeSpan.Zero, TimeSpan.FromSeconds(30)), "the clone finished");
        Assert.HasCount(1, Directory.GetFileSystemEntries(remote.WorkDirectory), "the clone is there before Dispose");
        prefetch.Dispose();

        AssertNoClonesLeft(remote);
    }

    private static ConfigClonePrefetch Start(ConfigRemote remote, string branch) =>
        ConfigClonePrefetch.Start(ConfigRepositoryLocation.Parse(remote.Path), branch, null, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory });

    private ConfigRepositoryWriter Writer(ConfigRemote remote, int pushRetries = 10) =>
        new(null, log, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, PushRetries = pushRetries }, Backoff.None);

    private static void AssertNoClonesLeft(ConfigRemote remote) => TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
}
