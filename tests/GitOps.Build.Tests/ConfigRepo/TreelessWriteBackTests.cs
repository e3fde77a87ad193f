using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// What the treeless write-back does on every transport, against the real git server of build/env: a repository that
/// serves filters and wants by id gets the tip commit, the trees and blobs on the manifest's path only and a pack of the
/// new objects, in five round trips; one that does not is cloned, with one log line; a lost race fetches the new tip
/// treeless; a read-only credential fetches treeless and is refused at the push; several manifests (three directories,
/// a release of two projects, a lost race) cost the round trips of one. A derived class per transport says
/// how it is reached (HTTP: <see cref="TreelessWriteBackHttpTests"/>, SSH: <c>Ssh.TreelessWriteBackSshTests</c>).
/// </summary>
public abstract class TreelessWriteBackTests
{
    private protected const string Manifest = ServedRepository.Manifest;
    private protected const string OtherFile = "apps/other/big.txt";

    private protected RecordingLog Log { get; } = new();

    private protected TestEnvironment Environment { get; private set; } = null!;

    private protected ServedRepository Repository { get; private set; } = null!;

    /// <summary>The environment with this transport's server, or the end of the test (inconclusive; fails when CI=true).</summary>
    private protected abstract TestEnvironment RequireEnvironment();

    /// <summary>The folder on the server that groups this class's repositories.</summary>
    private protected abstract string Folder { get; }

    /// <summary>The repository's URL on this transport.</summary>
    private protected abstract string Url(ServedRepository repository);

    /// <summary>A writer with the writer's credentials of this transport, logging into <paramref name="into"/>.</summary>
    private protected abstract ConfigRepositoryWriter Writer(RecordingLog into);

    [TestInitialize]
    public void FindEnvironment() => Environment = RequireEnvironment();

    [TestCleanup]
    public void DeleteRepository() => Repository?.Dispose();

    [TestMethod]
    public void A_server_that_serves_filters_gets_the_tip_the_manifest_path_and_a_pack_in_four_round_trips()
    {
        Serve(filters: true);
        var before = Repository.Tip();
        var otherBlob = Repository.Git("rev-parse", "main:" + OtherFile);
        var otherTree = Repository.Git("rev-parse", "main:apps/other");
        var manifestBlob = Repository.Git("rev-parse", "main:" + Manifest);
        string clone = "";
        var change = ServedRepository.ReplaceManifest(_ => clone = Path.Combine(Directory.GetDirectories(Repository.WorkDirectory, "gitops-config-*").Single(), ConfigRepositoryClone.GitDirectoryName));
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
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), Repository.Git("show", "main:" + Manifest));
        Assert.AreEqual(Manifest, Repository.Git("diff", "--name-only", before, "main"), "only the manifest changed");
        Assert.AreEqual(otherBlob, Repository.Git("rev-parse", "main:" + OtherFile), "what is off the path is kept as it was");
        Repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsTrue(present[manifestBlob], "the manifest was fetched");
        Assert.IsFalse(present[otherTree], "a tree off the manifest's path was not fetched");
        Assert.IsFalse(present[otherBlob], "a blob off the manifest's path was not fetched");
        var lines = string.Join("\n", watching.Important);
        Assert.AreEqual(1, watching.Important.Count(line => line.Contains("without its trees", StringComparison.Ordinal)), lines);
        Assert.IsFalse(watching.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), lines);
        // The branch's tip by name (want-ref) with the top two levels of its tree, apps/web with its files, the push, the
        // check: no advertisement, no ls-refs.
        Assert.AreEqual(4, SeveralManifests.RoundTrips(watching), lines);
        Assert.IsFalse(watching.Detail.Any(line => line.Contains("fetch of the branch by name", StringComparison.Ordinal)), string.Join("\n", watching.Detail));
        Repository.AssertNoClonesLeft();
    }

    [TestMethod]
    [DataRow("apps", 4, DisplayName = "two levels deep: the tip by name with two levels, the three directories with their files, the push, the check")]
    [DataRow("clusters/prod", 5, DisplayName = "three levels deep: one more level of trees")]
    public void Three_manifests_in_three_directories_take_the_round_trips_of_one(string root, int roundTrips)
    {
        Serve(filters: true);
        SeveralManifests.Seed(Repository, root);
        var manifests = SeveralManifests.WebManifests(root);

        var one = WriteBack(SeveralManifests.Deploy("registry.example.com/web:bbb2222", manifests[0]));
        var before = Repository.Tip();
        var three = WriteBack(SeveralManifests.Deploy("registry.example.com/web:ccc3333", manifests));

        CollectionAssert.AreEqual(manifests.Order(StringComparer.Ordinal).ToArray(), Repository.Git("diff", "--name-only", before, "main").Split('\n'));
        foreach (var manifest in manifests)
            Assert.AreEqual(SeveralManifests.Content(manifest, "registry.example.com/web:ccc3333"), Repository.Git("show", "main:" + manifest));
        Repository.Git("fsck", "--strict", "--no-progress");
        Assert.AreEqual(roundTrips, one, $"one manifest: {one} round trips");
        Assert.AreEqual(one, three, $"three manifests at the same depth as one: {three} round trips, one took {one}");
    }

    [TestMethod]
    public void A_release_of_two_projects_takes_the_round_trips_of_one_manifest()
    {
        Serve(filters: true);
        SeveralManifests.Seed(Repository, "apps");
        var before = Repository.Tip();

        var roundTrips = WriteBack(SeveralManifests.Release(
            ("registry.example.com/web:bbb2222", [Manifest]), ("registry.example.com/api:bbb2222", [SeveralManifests.ApiManifest])));

        Assert.AreEqual(Repository.Git("rev-parse", "main~1"), before, "one commit");
        Assert.AreEqual($"{SeveralManifests.ApiManifest}\n{Manifest}", Repository.Git("diff", "--name-only", before, "main"));
        Assert.AreEqual(SeveralManifests.Content(SeveralManifests.ApiManifest, "registry.example.com/api:bbb2222"), Repository.Git("show", "main:" + SeveralManifests.ApiManifest));
        Assert.AreEqual(SeveralManifests.Content(Manifest, "registry.example.com/web:bbb2222"), Repository.Git("show", "main:" + Manifest));
        Repository.Git("fsck", "--strict", "--no-progress");
        Assert.AreEqual(4, roundTrips, $"as one manifest two levels deep: {roundTrips} round trips");
    }

    [TestMethod]
    public void A_lost_race_reads_the_changed_directories_of_three_manifests_in_one_request()
    {
        Serve(filters: true);
        SeveralManifests.Seed(Repository, "apps");
        var manifests = SeveralManifests.WebManifests("apps");
        var change = SeveralManifests.Raced(SeveralManifests.Deploy("registry.example.com/web:bbb2222", manifests), Repository, "apps/web-eu", "apps/web-us");

        var roundTrips = WriteBack(change);

        Assert.AreEqual("another pipeline", Repository.Git("log", "-1", "--format=%s", "main~1"), "on top of the competing commit");
        foreach (var manifest in manifests)
            Assert.AreEqual(SeveralManifests.Content(manifest, "registry.example.com/web:bbb2222"), Repository.Git("show", "main:" + manifest));
        Assert.AreEqual("# beside apps/web-us", Repository.Git("show", "main:apps/web-us/extra.yaml"), "the competitor's file is kept");
        Repository.Git("fsck", "--strict", "--no-progress");
        // The tip by name, the three directories, the lost push; the new tip by name, the two directories that changed, the push, the check.
        Assert.AreEqual(7, roundTrips, $"{roundTrips} round trips");
    }

    [TestMethod]
    [DataRow("main", 5, DisplayName = "GitOpsConfigBranch names it: the tip by name (want-ref), a level of trees, the directory with its file, the push, the check")]
    [DataRow(null, 6, DisplayName = "the remote HEAD's branch: ls-refs first (its symref), then the tip")]
    public void A_manifest_three_directories_deep_takes_five_round_trips_when_the_branch_is_named(string? branch, int expected)
    {
        Serve(filters: true);
        SeveralManifests.Seed(Repository, "clusters/prod");
        var manifest = SeveralManifests.WebManifests("clusters/prod")[0];
        var before = Repository.Tip();
        var into = new RecordingLog();

        var result = Writer(into).Commit(ConfigRepositoryWriterTests.Request(Url(Repository), branch), SeveralManifests.Deploy("registry.example.com/web:bbb2222", manifest));

        Assert.IsTrue(result.Committed, string.Join("\n", into.Important));
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(SeveralManifests.Content(manifest, "registry.example.com/web:bbb2222"), Repository.Git("show", "main:" + manifest));
        Assert.AreEqual(expected, SeveralManifests.RoundTrips(into), string.Join("\n", into.Important));
        Repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_server_without_ref_in_want_is_asked_for_the_tip_first_and_deploys_the_same_commit()
    {
        Serve(filters: true);
        SeveralManifests.Seed(Repository, "clusters/prod");
        // A filtered repository that does not serve want-ref: git's default (build/env turns it on with filters).
        Repository.Git("config", "uploadpack.allowRefInWant", "false");
        var manifest = SeveralManifests.WebManifests("clusters/prod")[0];
        var before = Repository.Tip();
        var into = new RecordingLog();

        var result = Writer(into).Commit(Request(), SeveralManifests.Deploy("registry.example.com/web:bbb2222", manifest));

        Assert.IsTrue(result.Committed, string.Join("\n", into.Important));
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, Repository.Git("rev-parse", "main~1"), "one commit on the tip");
        Assert.AreEqual(manifest, Repository.Git("diff", "--name-only", before, "main"));
        Assert.AreEqual(SeveralManifests.Content(manifest, "registry.example.com/web:bbb2222"), Repository.Git("show", "main:" + manifest));
        Repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsFalse(into.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", into.Important));
        var declined = into.Detail.Where(line => line.Contains("does not serve a fetch of the branch by name", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, declined.Count, string.Join("\n", into.Detail));
        Assert.IsFalse(into.Important.Any(line => line.Contains("by name", StringComparison.Ordinal)), "no user-facing line");
        // The refused fetch by name (upload-pack dies on want-ref; over SSH the greeting that says so comes with that
        // answer), then ls-refs and the tip as without want-ref, a level of trees, the directory, the push, the check.
        Assert.AreEqual(7, SeveralManifests.RoundTrips(into), string.Join("\n", into.Important));
        Repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_server_without_filters_is_cloned_with_one_log_line()
    {
        Serve(filters: false);
        var before = Repository.Tip();

        var result = Writer(Log).Commit(Request(), ServedRepository.ReplaceManifest());

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        var fallback = Log.Important.Where(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, fallback.Count, string.Join("\n", Log.Important));
        StringAssert.Contains(fallback[0], "uploadpack.allowFilter");
        Assert.IsTrue(Log.Important.Any(line => line.StartsWith("GitOps: cloned ", StringComparison.Ordinal)), string.Join("\n", Log.Important));
        Assert.IsFalse(Log.Important.Any(line => line.Contains("treeless write-back", StringComparison.Ordinal)));
        Repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_lost_race_fetches_the_new_tip_treeless_and_applies_the_change_again()
    {
        Serve(filters: true);
        var change = ServedRepository.ReplaceManifest(application =>
        {
            if (application == 1)
                Repository.PushCompetingCommit();
        });

        var result = Writer(Log).Commit(Request(), change);

        Assert.AreEqual(2, change.Applications);
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(Repository.Git("rev-parse", "main~1"), result.PreviousTipSha, "on top of the competing commit");
        StringAssert.Contains(Repository.Git("log", "-1", "--format=%s", "main~1"), "deploy(api)");
        Assert.AreEqual("image: registry.example.com/api:ddd4444", Repository.Git("show", "main:apps/api.yaml"), "the competitor's file is kept");
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), Repository.Git("show", "main:" + Manifest));
        Repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsTrue(Log.Important.Any(line => line.Contains("into the clone", StringComparison.Ordinal)), string.Join("\n", Log.Important));
        Assert.IsFalse(Log.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", Log.Important));
        Repository.AssertNoClonesLeft();
    }

    /// <summary>
    /// A writer with a read-only credential (made once the repository is served): it fetches treeless, applies the change once and is refused at the push,
    /// leaving the branch and no clone behind. Returns the refusal, whose code is the transport's.
    /// </summary>
    private protected GitOpsException RefusedAtThePush(Func<ConfigRepositoryWriter> readOnly)
    {
        Serve(filters: true);
        var before = Repository.Tip();
        var change = ServedRepository.ReplaceManifest();

        var error = Assert.ThrowsExactly<GitOpsException>(() => readOnly().Commit(Request(), change));

        Assert.AreEqual(1, change.Applications);
        Assert.AreEqual(before, Repository.Tip());
        Assert.IsTrue(Log.Important.Any(line => line.Contains("without its trees", StringComparison.Ordinal)), string.Join("\n", Log.Important));
        Repository.AssertNoClonesLeft();
        return error;
    }

    private protected ConfigCommitRequest Request() => ConfigRepositoryWriterTests.Request(Url(Repository));

    // One write-back with a log of its own: its round trips.
    private int WriteBack(IConfigChange change)
    {
        var into = new RecordingLog();
        var result = Writer(into).Commit(Request(), change);
        Assert.IsTrue(result.Committed, string.Join("\n", into.Important));
        Assert.IsFalse(into.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", into.Important));
        Repository.AssertNoClonesLeft();
        return SeveralManifests.RoundTrips(into);
    }

    /// <summary>
    /// The manifest's app, another app beside it (a tree and a blob the write-back must not fetch), a nested directory
    /// and <paramref name="apps"/> more apps (a wide apps tree).
    /// </summary>
    private protected void Serve(bool filters, int apps = 0)
    {
        Repository = ServedRepository.Create(Environment, Folder, filters);
        var work = Path.Combine(Repository.WorkDirectory, "..", Path.GetFileName(Repository.WorkDirectory) + "-seed");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", Repository.Path, work);
            Directory.CreateDirectory(Path.Combine(work, "apps", "other"));
            Directory.CreateDirectory(Path.Combine(work, "apps", "web", "nested"));
            File.WriteAllText(Path.Combine(work, OtherFile), string.Concat(Enumerable.Repeat("not on the manifest's path\n", 2000)));
            File.WriteAllText(Path.Combine(work, "apps", "web", "nested", "values.yaml"), "image:\n  tag: aaa1111\n");
            for (var app = 0; app < apps; app++)
            {
                Directory.CreateDirectory(Path.Combine(work, "apps", $"app-{app:000}"));
                File.WriteAllText(Path.Combine(work, "apps", $"app-{app:000}", "deployment.yaml"), $"image: app-{app}:aaa1111\n");
            }
            GitCli.Run(work, "add", "--all");
            GitCli.Run(work, "commit", "--quiet", "-m", "other app");
            GitCli.Run(work, "push", "--quiet", "origin", "main");
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
    }
}
