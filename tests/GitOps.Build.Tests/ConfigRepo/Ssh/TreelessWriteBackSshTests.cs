using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>
/// The treeless write-back over SSH, against the real sshd of build/env (which passes GIT_PROTOCOL on, so git speaks
/// protocol v2): a repository that serves filters gets the tip commit, the trees on the manifest's path and a pack of the
/// new objects, in the same exchanges as over HTTP; one that does not is cloned, with one log line. Inconclusive
/// without that server (fails when CI=true).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class TreelessWriteBackSshTests
{
    private const string Manifest = ServedRepository.Manifest;
    private const string OtherFile = "apps/other/big.txt";

    private readonly RecordingLog log = new();
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;

    [TestInitialize]
    public void FindEnvironment() => environment = TestEnvironment.RequireSsh();

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    [TestMethod]
    public void A_server_that_serves_filters_gets_the_tip_the_manifest_path_and_a_pack_in_five_round_trips()
    {
        Serve(filters: true);
        var before = repository.Tip();
        var otherBlob = repository.Git("rev-parse", "main:" + OtherFile);
        var otherTree = repository.Git("rev-parse", "main:apps/other");
        var manifestBlob = repository.Git("rev-parse", "main:" + Manifest);
        string clone = "";
        var change = ServedRepository.ReplaceManifest(_ => clone = Path.Combine(Directory.GetDirectories(repository.WorkDirectory, "gitops-config-*").Single(), ConfigRepositoryClone.GitDirectoryName));
        var present = new Dictionary<string, bool>();
        var watching = new RecordingLog
        {
            OnLine = line =>
            {
                // After the push, before the clone is deleted: what the clone holds.
                if (!line.Contains("treeless write-back", StringComparison.Ordinal) || clone.Length == 0) return;
                foreach (var id in new[] { otherBlob, otherTree, manifestBlob })
                    present[id] = File.Exists(Path.Combine(clone, "objects", id[..2], id[2..]));
            },
        };

        var result = Writer(watching).Commit(Request(), change);

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), repository.Git("show", "main:" + Manifest));
        Assert.AreEqual(Manifest, repository.Git("diff", "--name-only", before, "main"), "only the manifest changed");
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsTrue(present[manifestBlob], "the manifest was fetched");
        Assert.IsFalse(present[otherTree], "a tree off the manifest's path was not fetched");
        Assert.IsFalse(present[otherBlob], "a blob off the manifest's path was not fetched");
        var lines = string.Join("\n", watching.Important);
        Assert.AreEqual(1, watching.Important.Count(line => line.Contains("without its trees", StringComparison.Ordinal)), lines);
        Assert.IsFalse(watching.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), lines);
        // ls-refs (with the capabilities), the tip with the top two levels, apps/web with its files, the push, the check.
        Assert.AreEqual(5, SeveralManifests.RoundTrips(watching), lines);
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    [DataRow("apps", 5, DisplayName = "two levels deep: ls-refs, the tip with two levels, the three directories with their files, the push, the check")]
    [DataRow("clusters/prod", 6, DisplayName = "three levels deep: one more level of trees")]
    public void Three_manifests_in_three_directories_take_the_round_trips_of_one(string root, int roundTrips)
    {
        Serve(filters: true);
        SeveralManifests.Seed(repository, root);
        var manifests = SeveralManifests.WebManifests(root);

        var one = WriteBack(SeveralManifests.Deploy("registry.example.com/web:bbb2222", manifests[0]));
        var before = repository.Tip();
        var three = WriteBack(SeveralManifests.Deploy("registry.example.com/web:ccc3333", manifests));

        CollectionAssert.AreEqual(manifests.Order(StringComparer.Ordinal).ToArray(), repository.Git("diff", "--name-only", before, "main").Split('\n'));
        foreach (var manifest in manifests)
            Assert.AreEqual(SeveralManifests.Content(manifest, "registry.example.com/web:ccc3333"), repository.Git("show", "main:" + manifest));
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.AreEqual(roundTrips, one, $"one manifest: {one} round trips");
        Assert.AreEqual(one, three, $"three manifests at the same depth as one: {three} round trips, one took {one}");
    }

    [TestMethod]
    public void A_release_of_two_projects_takes_the_round_trips_of_one_manifest()
    {
        Serve(filters: true);
        SeveralManifests.Seed(repository, "apps");
        var before = repository.Tip();

        var roundTrips = WriteBack(SeveralManifests.Release(
            ("registry.example.com/web:bbb2222", [Manifest]), ("registry.example.com/api:bbb2222", [SeveralManifests.ApiManifest])));

        Assert.AreEqual(repository.Git("rev-parse", "main~1"), before, "one commit");
        Assert.AreEqual($"{SeveralManifests.ApiManifest}\n{Manifest}", repository.Git("diff", "--name-only", before, "main"));
        Assert.AreEqual(SeveralManifests.Content(SeveralManifests.ApiManifest, "registry.example.com/api:bbb2222"), repository.Git("show", "main:" + SeveralManifests.ApiManifest));
        Assert.AreEqual(SeveralManifests.Content(Manifest, "registry.example.com/web:bbb2222"), repository.Git("show", "main:" + Manifest));
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.AreEqual(5, roundTrips, $"as one manifest two levels deep: {roundTrips} round trips");
    }

    [TestMethod]
    public void A_lost_race_reads_the_changed_directories_of_three_manifests_in_one_request()
    {
        Serve(filters: true);
        SeveralManifests.Seed(repository, "apps");
        var manifests = SeveralManifests.WebManifests("apps");
        var change = SeveralManifests.Raced(SeveralManifests.Deploy("registry.example.com/web:bbb2222", manifests), repository, "apps/web-eu", "apps/web-us");

        var roundTrips = WriteBack(change);

        Assert.AreEqual("another pipeline", repository.Git("log", "-1", "--format=%s", "main~1"), "on top of the competing commit");
        foreach (var manifest in manifests)
            Assert.AreEqual(SeveralManifests.Content(manifest, "registry.example.com/web:bbb2222"), repository.Git("show", "main:" + manifest));
        Assert.AreEqual("# beside apps/web-us", repository.Git("show", "main:apps/web-us/extra.yaml"), "the competitor's file is kept");
        repository.Git("fsck", "--strict", "--no-progress");
        // ls-refs, the tip, the three directories, the lost push; ls-refs, the new tip, the two directories that changed, the push, the check.
        Assert.AreEqual(9, roundTrips, $"{roundTrips} round trips");
    }

    [TestMethod]
    public void A_server_without_filters_is_cloned_with_one_log_line()
    {
        Serve(filters: false);
        var before = repository.Tip();

        var result = Writer(log).Commit(Request(), ServedRepository.ReplaceManifest());

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        var fallback = log.Important.Where(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, fallback.Count, string.Join("\n", log.Important));
        StringAssert.Contains(fallback[0], "uploadpack.allowFilter");
        Assert.IsTrue(log.Important.Any(line => line.StartsWith("GitOps: cloned ", StringComparison.Ordinal)), string.Join("\n", log.Important));
        Assert.IsFalse(log.Important.Any(line => line.Contains("treeless write-back", StringComparison.Ordinal)));
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_lost_race_fetches_the_new_tip_treeless_and_applies_the_change_again()
    {
        Serve(filters: true);
        var change = ServedRepository.ReplaceManifest(application =>
        {
            if (application == 1)
                repository.PushCompetingCommit();
        });

        var result = Writer(log).Commit(Request(), change);

        Assert.AreEqual(2, change.Applications);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(repository.Git("rev-parse", "main~1"), result.PreviousTipSha, "on top of the competing commit");
        Assert.AreEqual("image: registry.example.com/api:ddd4444", repository.Git("show", "main:apps/api.yaml"), "the competitor's file is kept");
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), repository.Git("show", "main:" + Manifest));
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsTrue(log.Important.Any(line => line.Contains("into the clone", StringComparison.Ordinal)), string.Join("\n", log.Important));
        Assert.IsFalse(log.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", log.Important));
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_read_only_key_fetches_treeless_and_is_refused_at_the_push_with_GITOPS084()
    {
        Serve(filters: true);
        var before = repository.Tip();
        var change = ServedRepository.ReplaceManifest();

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(log, new SshSettings { Key = environment.SshReadonlyKey, KnownHosts = environment.SshKnownHosts }).Commit(Request(), change));

        Assert.AreEqual(Errors.SshPushRefused.Code, error.Code, error.ToString());
        StringAssert.Contains(error.Message, "read only");
        Assert.AreEqual(1, change.Applications);
        Assert.AreEqual(before, repository.Tip());
        Assert.IsTrue(log.Important.Any(line => line.Contains("without its trees", StringComparison.Ordinal)), string.Join("\n", log.Important));
        repository.AssertNoClonesLeft();
    }

    // One write-back with a log of its own: its round trips.
    private int WriteBack(IConfigChange change)
    {
        var into = new RecordingLog();
        var result = Writer(into).Commit(Request(), change);
        Assert.IsTrue(result.Committed, string.Join("\n", into.Important));
        Assert.IsFalse(into.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", into.Important));
        repository.AssertNoClonesLeft();
        return SeveralManifests.RoundTrips(into);
    }

    // The manifest's app and another app beside it: a tree and a blob the write-back must not fetch.
    private void Serve(bool filters)
    {
        repository = ServedRepository.Create(environment, "treeless-ssh-tests", filters);
        var work = Path.Combine(repository.WorkDirectory, "..", Path.GetFileName(repository.WorkDirectory) + "-seed");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", repository.Path, work);
            Directory.CreateDirectory(Path.Combine(work, "apps", "other"));
            File.WriteAllText(Path.Combine(work, OtherFile), string.Concat(Enumerable.Repeat("not on the manifest's path\n", 2000)));
            GitCli.Run(work, "add", "--all");
            GitCli.Run(work, "commit", "--quiet", "-m", "other app");
            GitCli.Run(work, "push", "--quiet", "origin", "main");
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
    }

    private ConfigRepositoryWriter Writer(RecordingLog into, SshSettings? ssh = null) =>
        new(null, into, new ConfigWriterOptions
        {
            WorkDirectory = repository.WorkDirectory,
            PushRetries = 3,
            Transports = TestTransports.With(ssh: ssh ?? new SshSettings { Key = environment.SshDeployKey, KnownHosts = environment.SshKnownHosts }),
        }, Backoff.None);

    private ConfigCommitRequest Request() => ConfigRepositoryWriterTests.Request(environment.SshRepositoryUrl(repository.Name));
}
