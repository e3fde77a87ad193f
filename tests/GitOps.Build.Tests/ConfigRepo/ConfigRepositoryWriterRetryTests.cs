using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>Another pipeline pushes between our clone and our push: the writer starts over from the new tip.</summary>
[TestClass]
public sealed class ConfigRepositoryWriterRetryTests
{
    private readonly RecordingLog log = new();

    [TestMethod]
    public void A_lost_push_race_is_retried_on_the_new_tip_and_both_commits_land_in_a_line()
    {
        using var remote = TwoApps.Create();
        var initial = remote.Tip("main");
        string? competitor = null;
        var change = TwoApps.DeployWeb(application =>
        {
            if (application == 1)
                competitor = TwoApps.DeployApi(remote, "ddd4444");
        });

        var result = Writer(remote).Commit(ConfigRepositoryWriterTests.Request(remote.Path), change);

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(2, change.Applications);
        Assert.AreEqual(competitor, result.PreviousTipSha);
        Assert.AreEqual(string.Join('\n', result.CommitSha, competitor, initial), remote.Git("rev-list", "main"), "linear history, ours on top");
        Assert.AreEqual("", remote.Git("rev-list", "--merges", "main"));
        Assert.AreEqual("image: registry.example.com/web:bbb2222", remote.Git("show", $"main:{TwoApps.WebManifest}"));
        Assert.AreEqual("image: registry.example.com/api:ddd4444", remote.Git("show", $"main:{TwoApps.ApiManifest}"));
        Assert.AreEqual(1, log.Important.Count(line => line.StartsWith("GitOps: cloned ", StringComparison.Ordinal)), "one clone");
        Assert.AreEqual(1, log.Important.Count(line => line.StartsWith("GitOps: fetched ", StringComparison.Ordinal)), "the new tip fetched into it");
    }

    [TestMethod]
    public void When_the_other_push_already_made_the_change_nothing_is_committed()
    {
        using var remote = TwoApps.Create();
        string? competitor = null;
        var change = TwoApps.DeployWeb(application =>
        {
            if (application == 1)
                competitor = remote.Change("main", "deploy(web): bbb2222 from a rerun", new Dictionary<string, string> { [TwoApps.WebManifest] = "image: registry.example.com/web:bbb2222\n" });
        });

        var result = Writer(remote).Commit(ConfigRepositoryWriterTests.Request(remote.Path), change);

        Assert.IsFalse(result.Committed);
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(competitor, remote.Tip("main"));
    }

    [TestMethod]
    public void A_branch_rewound_since_the_clone_is_not_pushed_onto_and_its_dropped_commits_stay_dropped()
    {
        using var remote = TwoApps.Create();
        var kept = remote.Tip("main");
        var dropped = TwoApps.DeployApi(remote, "fff6666");
        var change = TwoApps.DeployWeb(application =>
        {
            // Someone rolls the branch back by force while we apply: the remote is now at an ancestor of our parent.
            if (application == 1)
                remote.Git("update-ref", "refs/heads/main", kept);
        });

        var result = Writer(remote).Commit(ConfigRepositoryWriterTests.Request(remote.Path), change);

        Assert.AreEqual(2, result.Attempts, "the first push found the branch elsewhere than at its parent");
        Assert.AreEqual(kept, remote.Git("rev-parse", "main~1"), "the commit went onto the rewound branch");
        Assert.AreEqual("", remote.Git("branch", "--contains", dropped), "the rolled-back commit was not published again");
    }

    [TestMethod]
    public void A_branch_that_keeps_moving_fails_with_GITOPS029_after_the_retries()
    {
        using var remote = TwoApps.Create();
        var change = TwoApps.DeployWeb(application =>
            TwoApps.DeployApi(remote, $"run{application}"));
        var writer = Writer(remote, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, PushRetries = 2 });

        var error = Assert.ThrowsExactly<GitOpsException>(() => writer.Commit(ConfigRepositoryWriterTests.Request(remote.Path), change));

        Assert.AreEqual(Errors.ConfigPushConflictsExhausted.Code, error.Code);
        Assert.AreEqual(3, change.Applications);
        Assert.AreEqual("image: registry.example.com/web:aaa1111", remote.Git("show", $"main:{TwoApps.WebManifest}"));
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(remote.WorkDirectory));
    }

    [TestMethod]
    public void Retries_wait_with_the_back_off_between_attempts()
    {
        using var remote = TwoApps.Create();
        var change = TwoApps.DeployWeb(application =>
        {
            if (application == 1)
                TwoApps.DeployApi(remote, "eee5555");
        });
        var backoff = new Backoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(3), () => 0.5);
        // The back-off is a timer of the writer's clock: this one records it instead of sleeping (a stopwatch could
        // not tell a wait from a slow machine).
        var clock = new ManualClock();
        var writer = new ConfigRepositoryWriter(null, log, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, Time = clock }, backoff);

        var result = writer.Commit(ConfigRepositoryWriterTests.Request(remote.Path), change);

        Assert.AreEqual(2, result.Attempts);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromMilliseconds(300) }, clock.Waits.ToArray(), "one back-off before the second attempt: 300 ms × (0.5 + 0.5)");
    }

    private ConfigRepositoryWriter Writer(ConfigRemote remote, ConfigWriterOptions? options = null) =>
        new(null, log, options ?? new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory }, Backoff.None);
}
