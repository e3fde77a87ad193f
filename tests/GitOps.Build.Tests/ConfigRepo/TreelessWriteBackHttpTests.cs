using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitCredentials = GitOps.Build.ConfigRepo.GitCredentials;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// The treeless write-back against the real git-http-backend of build/env (<see cref="TreelessWriteBackTests"/>), and
/// what only HTTP is tested for: directories and globs read level by level, deltas in the push, a push branch.
/// Inconclusive without that server (fails when CI=true).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class TreelessWriteBackHttpTests : TreelessWriteBackTests
{
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
        Assert.AreEqual("kind: Service", Repository.Git("show", "main:apps/web/service.yaml"), "a new file in an existing directory");
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Repository.Git("fsck", "--strict", "--no-progress");
    }

    [TestMethod]
    public void A_glob_lists_the_trees_below_level_by_level_and_fetches_only_the_files_it_matches()
    {
        Serve(filters: true);
        var otherBlob = Repository.Git("rev-parse", "main:" + OtherFile);
        var nestedBlob = Repository.Git("rev-parse", "main:apps/web/nested/values.yaml");
        string[] listed = [];
        var present = new Dictionary<string, bool>();
        var change = new FunctionChange((tree, _) =>
        {
            listed = tree.ListFiles("apps", path => path.EndsWith(".yaml", StringComparison.Ordinal)).Select(file => file.Path).ToArray();
            var clone = Path.Combine(Directory.GetDirectories(Repository.WorkDirectory).Single(), ConfigRepositoryClone.GitDirectoryName);
            foreach (var id in new[] { otherBlob, nestedBlob })
                present[id] = File.Exists(Path.Combine(clone, "objects", id[..2], id[2..]));
            return new Dictionary<string, byte[]> { [Manifest] = System.Text.Encoding.UTF8.GetBytes(ServedRepository.NewManifest) };
        });

        var result = Writer().Commit(Request(), change);

        CollectionAssert.AreEqual(new[] { Manifest, "apps/web/nested/values.yaml" }, listed);
        Assert.IsTrue(present[nestedBlob], "a file the glob matches, two levels down, was fetched");
        Assert.IsFalse(present[otherBlob], "a file the glob does not match was not fetched");
        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(ServedRepository.NewManifest.TrimEnd('\n'), Repository.Git("show", "main:" + Manifest));
        Repository.Git("fsck", "--strict", "--no-progress");
    }

    [TestMethod]
    public void The_push_sends_the_trees_on_the_path_as_deltas_against_the_tips()
    {
        Serve(filters: true, apps: 400);
        var apps = GitCli.RunBytes(Repository.Path, "cat-file", "tree", "main:apps").Length;
        var before = Repository.Tip();

        var result = Writer().Commit(Request(), ServedRepository.ReplaceManifest());

        Assert.AreEqual(Repository.Tip(), result.CommitSha);
        Assert.AreEqual(Manifest, Repository.Git("diff", "--name-only", before, "main"), "only the manifest changed");
        Repository.Git("fsck", "--strict", "--no-progress");
        var transfer = Log.Important.Single(line => line.Contains("treeless write-back:", StringComparison.Ordinal));
        var sent = long.Parse(transfer.Split(", ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        // Whole, the new apps tree alone (400 entries) would be most of it, even compressed: its ids do not compress.
        Assert.IsTrue(sent < apps / 2, $"{sent} bytes sent; the apps tree is {apps} bytes\n{transfer}");
        var waited = long.Parse(transfer.Split(", ")[3].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(waited > 0, $"five exchanges with a real git-http-backend waited on it: {transfer}");
    }

    [TestMethod]
    public void A_push_branch_is_started_from_the_tip_treeless()
    {
        Serve(filters: true);
        var before = Repository.Tip();

        var result = Writer().Commit(Request() with { PushBranch = "deploy/web-bbb2222" }, ServedRepository.ReplaceManifest());

        Assert.AreEqual("deploy/web-bbb2222", result.Branch);
        Assert.AreEqual(before, Repository.Tip(), "the target branch is untouched");
        Assert.AreEqual(result.CommitSha, Repository.Tip("deploy/web-bbb2222"));
        Assert.AreEqual(before, Repository.Git("rev-parse", "deploy/web-bbb2222~1"));
        Assert.IsTrue(Log.Important.Any(line => line.Contains("without its trees", StringComparison.Ordinal)), string.Join("\n", Log.Important));
    }

    [TestMethod]
    public void A_read_only_token_fetches_treeless_and_is_refused_at_the_push_with_GITOPS028()
    {
        var error = RefusedAtThePush(() => Writer(Log, new GitCredentials(Environment.GitReaderUsername, Environment.GitReaderToken)));

        Assert.AreEqual(Errors.ConfigAccessForbidden.Code, error.Code, error.ToString());
    }

    private protected override TestEnvironment RequireEnvironment() => TestEnvironment.Require();

    private protected override string Folder => "treeless-tests";

    private protected override string Url(ServedRepository repository) => repository.Url(Environment.GitHttpBase);

    private protected override ConfigRepositoryWriter Writer(RecordingLog into) =>
        Writer(into, new GitCredentials(Environment.GitUsername, Environment.GitToken));

    private ConfigRepositoryWriter Writer(RecordingLog into, GitCredentials credentials) =>
        new(credentials, into, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = Repository.WorkDirectory, PushRetries = 3 }, Backoff.None);

    private ConfigRepositoryWriter Writer() => Writer(Log);
}
