using System.Text;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// The sixth hostile probe (issue 20): trees git itself reads that the treeless write-back rewrote wrongly. A directory
/// written with an old tool's zero-padded mode (<c>040000</c>) on the manifest's path was taken for a file, and replaced by
/// a tree of the manifest alone: its other files were dropped from the commit. A name that is not UTF-8 beside the
/// manifest was renamed (its bytes decoded to U+FFFD and written back so). The commit pushed is checked by git itself:
/// the server's objects and the pushed pack go into a bare repository (<c>index-pack --fix-thin</c>), then <c>ls-tree</c>.
/// </summary>
[TestClass]
public sealed class TreelessTreeBytesTests
{
    private const string OldImage = "registry.example.com/team/app:v1";
    private const string NewImage = "registry.example.com/team/app:v2";

    private readonly HostileServerWriter writer = new("gitops-hostile-treebytes-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    public void A_directory_with_a_zero_padded_mode_keeps_its_other_files()
    {
        var manifest = Blob(TestManifest.Deployment(OldImage));
        var other = Blob("kind: Service\n");
        var apps = Tree(new TreeEntry("100644", "other.yaml", other.Id), new TreeEntry("100644", "x.yaml", manifest.Id));
        var root = Tree(new TreeEntry("040000", "apps", apps.Id));

        var listed = DeployAndList([root, apps, manifest, other], root);

        // Before: apps/other.yaml was gone from the commit (apps rewritten as a tree of x.yaml alone).
        StringAssert.Contains(listed, $"{other.Id}\tapps/other.yaml");
        StringAssert.Contains(listed, "\tapps/x.yaml");
        Assert.IsFalse(listed.Contains(manifest.Id, StringComparison.Ordinal), "the manifest was edited");
    }

    [TestMethod]
    public void A_name_that_is_not_UTF_8_beside_the_manifest_keeps_its_bytes()
    {
        var manifest = Blob(TestManifest.Deployment(OldImage));
        var other = Blob("kind: Service\n");
        // "café.yaml" in Latin-1 (0xE9 alone: not UTF-8): git stores a name's bytes as given.
        var apps = new WireObject(GitObjectType.Tree, [
            .. Encoding.Latin1.GetBytes("100644 caf\u00e9.yaml"), 0, .. Convert.FromHexString(other.Id),
            .. Encoding.ASCII.GetBytes("100644 x.yaml"), 0, .. Convert.FromHexString(manifest.Id)]);
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));

        var listed = DeployAndList([root, apps, manifest, other], root);

        // Before: "apps/caf\357\277\275.yaml" (U+FFFD's bytes): the file was renamed by the deploy.
        StringAssert.Contains(listed, $"{other.Id}\t\"apps/caf\\351.yaml\"");
        Assert.IsFalse(listed.Contains(manifest.Id, StringComparison.Ordinal), "the manifest was edited");
    }

    // Deploys NewImage into apps/x.yaml of a tip of root; returns `git ls-tree -r` of the commit pushed.
    private string DeployAndList(IReadOnlyList<WireObject> objects, WireObject root)
    {
        var (tip, refs) = Tip(root);
        HostileTreelessServer? server = null;
        server = new HostileTreelessServer([tip, .. objects], refs, push =>
        {
            var pushed = Encoding.ASCII.GetString(push, 4 + 41, 40);
            server!.Refs = $"{pushed} HEAD symref-target:refs/heads/main\n{pushed} refs/heads/main\n";
            return [.. Pkt("unpack ok\n"), .. Pkt("ok refs/heads/main\n"), .. "0000"u8];
        });
        using (server)
        {
            var result = writer.Deploy(server.Url, "apps/x.yaml", NewImage, TimeSpan.FromSeconds(30));
            Assert.AreEqual(1, server.Pushes.Count);

            var bare = Path.Combine(writer.WorkDirectory, "check.git");
            GitCli.Run(writer.WorkDirectory, "init", "-q", "--bare", bare);
            foreach (var item in (IEnumerable<WireObject>)[tip, .. objects])
                GitCli.RunBytes(bare, item.Content, null, "hash-object", "-w", "--stdin", "--literally", "-t", WireObject.TypeName(item.Type));
            var push = server.Pushes[0];
            GitCli.RunBytes(bare, push[push.AsSpan().IndexOf("PACK"u8)..], null, "index-pack", "--stdin", "--fix-thin");
            return GitCli.Run(bare, "ls-tree", "-r", result.CommitSha!);
        }
    }
}
