using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// The fourth hostile probe (issue 20): a git server whose objects are valid git objects (each hashes to its id) but
/// whose trees lie about what they name: a file entry naming a tree, directories named <c>..</c> or <c>.git</c>, a HEAD
/// naming a branch git cannot have, a push report for another ref. Each must end in a coded error or a correct commit,
/// never a stack trace (MSB4018) or a config repository left wrong.
/// </summary>
[TestClass]
public sealed class TreelessHostileObjectTests
{
    private const string OldImage = "registry.example.com/team/app:v1";
    private const string NewImage = "registry.example.com/team/app:v2";

    private readonly HostileServerWriter writer = new("gitops-hostile-tree-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    [DataRow("100644")]
    [DataRow("100755")]
    public void A_file_entry_that_names_a_tree_is_GITOPS104_and_nothing_is_pushed(string mode)
    {
        // Before: OverflowException (MSB4018) from libgit2's size of a "blob" that is a tree.
        var file = Blob(TestManifest.Deployment(OldImage));
        var inner = Tree(new TreeEntry("100644", "x.yaml", file.Id));
        var root = Tree(new TreeEntry(mode, "a.yaml", inner.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, inner, file], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "a.yaml"));

        Assert.AreEqual(Errors.ConfigTreeCorrupt.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "'a.yaml' is a file entry that names a tree");
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    [DataRow("..", "apps")]
    [DataRow("..", "apps/**/*.yaml")]
    [DataRow(".git", "apps")]
    [DataRow(".GIT", "apps/*/x.yaml")]
    [DataRow(".", "apps")]
    public void A_directory_entry_git_refuses_is_GITOPS104_when_a_walk_meets_it(string name, string manifest)
    {
        // Before: ArgumentException (MSB4018) for the edit of 'apps/../x.yaml', which a tree written by hand would have
        // put outside 'apps'.
        var file = Blob(TestManifest.Deployment(OldImage));
        var odd = Tree(new TreeEntry("100644", "x.yaml", file.Id));
        var apps = Tree(new TreeEntry("40000", name, odd.Id));
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, apps, odd, file], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, manifest));

        Assert.AreEqual(Errors.ConfigTreeCorrupt.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, $"an entry named '{name}' in 'apps/'");
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    public void A_file_entry_whose_name_holds_a_slash_is_GITOPS104_in_a_walk()
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var apps = Tree(new TreeEntry("100644", "x/y.yaml", file.Id));
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, apps, file], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "apps"));

        Assert.AreEqual(Errors.ConfigTreeCorrupt.Code, error.Code, error.Message);
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    [DataRow("apps")]
    [DataRow("apps/**/*.yaml")]
    public void Trees_nested_100000_deep_are_GITOPS104_not_a_stack_overflow_that_kills_the_build(string manifest)
    {
        // Before: the walk (ConfigTree.Walk, TreelessStore.MarkComplete) recursed once per level; a pack of 3 MB
        // holding a chain of 100,000 trees overflowed the stack ("Stack overflow.", the build's process gone, no error).
        var file = Blob(TestManifest.Deployment(OldImage));
        var objects = new List<WireObject> { file };
        var inner = Tree(new TreeEntry("100644", "x.yaml", file.Id));
        objects.Add(inner);
        for (var depth = 0; depth < 100_000; depth++)
        {
            inner = Tree(new TreeEntry("40000", "d", inner.Id));
            objects.Add(inner);
        }
        var apps = inner;
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        objects.Reverse();
        using var server = new HostileTreelessServer([commit, root, .. objects], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, manifest));

        Assert.AreEqual(Errors.ConfigTreeCorrupt.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "nested deeper than 4,096 levels");
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    public void A_tree_of_more_than_a_million_entries_is_GITOPS149_naming_the_manifest_path_before_it_is_parsed()
    {
        // Issue 20: a tree's entries were parsed whole into memory (about seven times its bytes: one 256 MiB tree took
        // 1.8 GB). Before: this 36 MB tree was parsed (about 250 MB) and the deploy went on to GITOPS006.
        var file = Blob(TestManifest.Deployment(OldImage));
        var apps = Tree([.. Enumerable.Range(0, TreeEntries.MaxEntries + 1).Select(i => new TreeEntry("100644", $"f{i:D7}.yaml", file.Id))]);
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, apps, file], refs);
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "apps/web.yaml"));

        // A figure, not an assertion (no size or timed assertions): what the read allocated, the tree's bytes included.
        Console.WriteLine($"tree of {apps.Content.Length / 1024 / 1024} MiB: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024 / 1024} MiB allocated by the deploy, " +
            $"peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
        Assert.AreEqual(Errors.ConfigTreeTooLarge.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "GitOpsManifestPath 'apps");
        StringAssert.Contains(error.Message, "1,000,000 entries");
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    public void Held_a_manifest_that_is_a_symbolic_link_is_GITOPS050()
    {
        var link = Blob("/etc/passwd");
        var root = Tree(new TreeEntry("120000", "a.yaml", link.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, link], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "a.yaml"));

        Assert.AreEqual(Errors.ManifestIsSymbolicLink.Code, error.Code, error.Message);
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    public void Held_a_manifest_that_is_a_submodule_is_GITOPS_not_found()
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var root = Tree(new TreeEntry("160000", "a.yaml", new string('5', 40)), new TreeEntry("100644", "b.yaml", file.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, file], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "a.yaml"));

        Assert.AreEqual(Errors.ManifestNotFound.Code, error.Code, error.Message);
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    public void Held_a_HEAD_naming_a_branch_git_cannot_have_is_a_coded_error()
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var root = Tree(new TreeEntry("100644", "a.yaml", file.Id));
        var (commit, refs) = Tip(root, "refs/heads/a..b", "refs/heads/a..b");
        using var server = new HostileTreelessServer([commit, root, file], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "a.yaml", branch: null));

        StringAssert.Contains(error.Message, "'refs/heads/a..b' is not valid");
        AssertNothingPushedOrLeft(server);
    }

    [TestMethod]
    [DataRow("ok refs/heads/other")]
    [DataRow("ok refs/heads/main2")]
    [DataRow("ok refs/heads/mai")]
    public void Held_a_push_report_for_another_ref_is_not_taken_for_ours(string report)
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var root = Tree(new TreeEntry("100644", "a.yaml", file.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root, file], refs, _ => [.. Pkt("unpack ok\n"), .. Pkt(report + "\n"), .. "0000"u8]);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, "a.yaml"));

        Assert.AreEqual(Errors.ConfigPushRejected.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "no status for the ref");
        Assert.AreEqual(1, server.Pushes.Count);
    }

    private void AssertNothingPushedOrLeft(HostileTreelessServer server)
    {
        Assert.AreEqual(0, server.Pushes.Count, "nothing was pushed");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(writer.WorkDirectory), "no clone left");
    }

    private string Deploy(HostileTreelessServer server, string manifest, string? branch = "main") =>
        $"{writer.Deploy(server.Url, manifest, NewImage, TimeSpan.FromMinutes(1), branch).CommitSha} pushes={server.Pushes.Count}";
}
