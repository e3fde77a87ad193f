using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitCredentials = GitOps.Build.ConfigRepo.GitCredentials;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// The treeless write-back against the real git-http-backend of build/env: a repository that serves filters and wants
/// by id gets the tip commit and the trees and blobs on the manifest's path only, and a pack of the new objects; one
/// that does not is cloned, with one log line. Inconclusive without that server (fails when CI=true).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class TreelessWriteBackHttpTests
{
    private const string Manifest = ServedRepository.Manifest;
    private const string OtherFile = "apps/other/big.txt";

    private readonly RecordingLog log = new();
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;

    [TestInitialize]
    public void FindEnvironment() => environment = TestEnvironment.Require();

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    [TestMethod]
    public void A_server_that_serves_filters_gets_the_tip_the_manifest_path_and_a_pack_of_the_new_objects()
    {
        Serve(filters: true);
        var before = repository.Tip();
        var otherBlob = repository.Git("rev-parse", "main:" + OtherFile);
        var otherTree = repository.Git("rev-parse", "main:apps/other");
        var manifestBlob = repository.Git("rev-parse", "main:" + Manifest);
        string clone = "";
        var change = ServedRepository.ReplaceManifest(_ => clone = Path.Combine(Directory.GetDirectories(repository.WorkDirectory).Single(), ConfigRepositoryClone.GitDirectoryName));
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
        var result = new ConfigRepositoryWriter(Credentials(), watching, Options(), Backoff.None).Commit(Request(), change);
        log.Important.AddRange(watching.Important);

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), repository.Git("show", "main:" + Manifest));
        Assert.AreEqual(Manifest, repository.Git("diff", "--name-only", before, "main"), "only the manifest changed");
        Assert.AreEqual(otherBlob, repository.Git("rev-parse", "main:" + OtherFile), "what is off the path is kept as it was");
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsTrue(present[manifestBlob], "the manifest was fetched");
        Assert.IsFalse(present[otherTree], "a tree off the manifest's path was not fetched");
        Assert.IsFalse(present[otherBlob], "a blob off the manifest's path was not fetched");
        Assert.AreEqual(1, log.Important.Count(line => line.Contains("without its trees", StringComparison.Ordinal)), string.Join("\n", log.Important));
        Assert.IsFalse(log.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", log.Important));
        // ls-refs, the tip with the top two levels of its tree, apps/web with its files, the push, the check: no advertisement.
        StringAssert.Contains(string.Join("\n", log.Important), "treeless write-back: 5 round trips");
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

        var result = Writer().Commit(Request(), ServedRepository.ReplaceManifest());

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

        var result = Writer().Commit(Request(), change);

        Assert.AreEqual(2, change.Applications);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(repository.Git("rev-parse", "main~1"), result.PreviousTipSha, "on top of the competing commit");
        StringAssert.Contains(repository.Git("log", "-1", "--format=%s", "main~1"), "deploy(api)");
        Assert.AreEqual("image: registry.example.com/api:ddd4444", repository.Git("show", "main:apps/api.yaml"), "the competitor's file is kept");
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), repository.Git("show", "main:" + Manifest));
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsTrue(log.Important.Any(line => line.Contains("into the clone", StringComparison.Ordinal)), string.Join("\n", log.Important));
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_directory_lists_its_subtree_and_nothing_beside_it()
    {
        Serve(filters: true);
        string[] listed = [];
        var change = new FunctionChange((tree, _) =>
        {
            listed = tree.ListFiles("apps/web").Select(file => file.Path).ToArray();
            return new Dictionary<string, byte[]> { ["apps/web/service.yaml"] = "kind: Service\n"u8.ToArray() };
        });

        var result = Writer().Commit(Request(), change);

        CollectionAssert.AreEqual(new[] { Manifest, "apps/web/nested/values.yaml" }, listed);
        Assert.AreEqual("kind: Service", repository.Git("show", "main:apps/web/service.yaml"), "a new file in an existing directory");
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        repository.Git("fsck", "--strict", "--no-progress");
    }

    [TestMethod]
    public void A_glob_lists_the_trees_below_level_by_level_and_fetches_only_the_files_it_matches()
    {
        Serve(filters: true);
        var otherBlob = repository.Git("rev-parse", "main:" + OtherFile);
        var nestedBlob = repository.Git("rev-parse", "main:apps/web/nested/values.yaml");
        string[] listed = [];
        var present = new Dictionary<string, bool>();
        var change = new FunctionChange((tree, _) =>
        {
            listed = tree.ListFiles("apps", path => path.EndsWith(".yaml", StringComparison.Ordinal)).Select(file => file.Path).ToArray();
            var clone = Path.Combine(Directory.GetDirectories(repository.WorkDirectory).Single(), ConfigRepositoryClone.GitDirectoryName);
            foreach (var id in new[] { otherBlob, nestedBlob })
                present[id] = File.Exists(Path.Combine(clone, "objects", id[..2], id[2..]));
            return new Dictionary<string, byte[]> { [Manifest] = System.Text.Encoding.UTF8.GetBytes(ServedRepository.NewManifest) };
        });

        var result = Writer().Commit(Request(), change);

        CollectionAssert.AreEqual(new[] { Manifest, "apps/web/nested/values.yaml" }, listed);
        Assert.IsTrue(present[nestedBlob], "a file the glob matches, two levels down, was fetched");
        Assert.IsFalse(present[otherBlob], "a file the glob does not match was not fetched");
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), repository.Git("show", "main:" + Manifest));
        repository.Git("fsck", "--strict", "--no-progress");
    }

    [TestMethod]
    public void The_push_sends_the_trees_on_the_path_as_deltas_against_the_tips()
    {
        Serve(filters: true, apps: 400);
        var apps = GitCli.RunBytes(repository.Path, "cat-file", "tree", "main:apps").Length;
        var before = repository.Tip();

        var result = Writer().Commit(Request(), ServedRepository.ReplaceManifest());

        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.AreEqual(Manifest, repository.Git("diff", "--name-only", before, "main"), "only the manifest changed");
        repository.Git("fsck", "--strict", "--no-progress");
        var transfer = log.Important.Single(line => line.Contains("treeless write-back:", StringComparison.Ordinal));
        var sent = long.Parse(transfer.Split(", ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        // Whole, the new apps tree alone (400 entries) would be most of it, even compressed: its ids do not compress.
        Assert.IsTrue(sent < apps / 2, $"{sent} bytes sent; the apps tree is {apps} bytes\n{transfer}");
    }

    [TestMethod]
    public void A_push_branch_is_started_from_the_tip_treeless()
    {
        Serve(filters: true);
        var before = repository.Tip();

        var result = Writer().Commit(Request() with { PushBranch = "deploy/web-bbb2222" }, ServedRepository.ReplaceManifest());

        Assert.AreEqual("deploy/web-bbb2222", result.Branch);
        Assert.AreEqual(before, repository.Tip(), "the target branch is untouched");
        Assert.AreEqual(result.CommitSha, repository.Tip("deploy/web-bbb2222"));
        Assert.AreEqual(before, repository.Git("rev-parse", "deploy/web-bbb2222~1"));
        Assert.IsTrue(log.Important.Any(line => line.Contains("without its trees", StringComparison.Ordinal)), string.Join("\n", log.Important));
    }

    [TestMethod]
    public void A_read_only_token_is_refused_at_the_push_with_GITOPS028()
    {
        Serve(filters: true);
        var before = repository.Tip();
        var change = ServedRepository.ReplaceManifest();

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(credentials: new GitCredentials(environment.GitReaderUsername, environment.GitReaderToken)).Commit(Request(), change));

        Assert.AreEqual(Errors.ConfigAccessForbidden.Code, error.Code, error.ToString());
        Assert.AreEqual(1, change.Applications);
        Assert.AreEqual(before, repository.Tip());
        repository.AssertNoClonesLeft();
    }

    // The manifest's app, another app beside it (a tree and a blob the write-back must not fetch) and a nested directory.
    private void Serve(bool filters, int apps = 0)
    {
        repository = ServedRepository.Create(environment, "treeless-tests", filters);
        var work = Path.Combine(repository.WorkDirectory, "..", Path.GetFileName(repository.WorkDirectory) + "-seed");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", repository.Path, work);
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

    // One write-back with a log of its own: its round trips.
    private int WriteBack(IConfigChange change)
    {
        var into = new RecordingLog();
        var result = new ConfigRepositoryWriter(Credentials(), into, Options(), Backoff.None).Commit(Request(), change);
        Assert.IsTrue(result.Committed, string.Join("\n", into.Important));
        Assert.IsFalse(into.Important.Any(line => line.Contains("does not serve a treeless fetch", StringComparison.Ordinal)), string.Join("\n", into.Important));
        repository.AssertNoClonesLeft();
        return SeveralManifests.RoundTrips(into);
    }

    private GitCredentials Credentials() => new(environment.GitUsername, environment.GitToken);

    private ConfigWriterOptions Options() =>
        new() { Transports = TestTransports.Direct, WorkDirectory = repository.WorkDirectory, PushRetries = 3 };

    private ConfigRepositoryWriter Writer(GitCredentials? credentials = null) => new(credentials ?? Credentials(), log, Options(), Backoff.None);

    private ConfigCommitRequest Request() => ConfigRepositoryWriterTests.Request(repository.Url(environment.GitHttpBase));
}
