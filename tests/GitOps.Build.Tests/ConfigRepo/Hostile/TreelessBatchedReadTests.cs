using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Wire;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// The sixth hostile probe (issue 20): the batched reads of a treeless write-back of three manifests in three
/// directories (<c>TreelessStore.Ensure</c>) against a server whose answers lie: objects left out, objects not asked
/// for, objects twice, a tip that is not a commit, a pack that takes long to read while Ctrl+C is pressed. Each ends
/// in a coded error or a deploy of exactly what the manifests hold, never with a push the answers did not support.
/// </summary>
[TestClass]
public sealed class TreelessBatchedReadTests
{
    private const string OldImage = "registry.example.com/team/app:v1";
    private const string NewImage = "registry.example.com/team/app:v2";
    private static readonly string[] Manifests = ["apps/a/x.yaml", "apps/b/x.yaml", "apps/c/x.yaml"];

    private readonly HostileServerWriter writer = new("gitops-hostile-batch-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Ctrl_C_while_a_pack_of_a_million_deltas_is_read_stops_the_write_back_and_pushes_nothing()
    {
        var (objects, refs) = Release();
        using var cancel = new CancellationTokenSource();
        var pack = new BombPack();
        foreach (var item in objects)
            pack.Whole(item);
        var blob = pack.Blob("a"u8.ToArray());
        for (var i = 0; i < 990_000; i++)
            pack.OffsetDelta(blob, BombPack.Delta(1, 1, BombPack.Copy(0, 1)));
        var bytes = pack.ToArray();
        using var server = new HostileTreelessServer(objects, refs)
        {
            // Ctrl+C once the answer is on its way: the client is reading it (some ten minutes before: no look at Ctrl+C).
            FetchPack = () =>
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(500));
                return bytes;
            },
        };

        Assert.ThrowsExactly<OperationCanceledException>(() => writer.Deploy(server.Url, Manifests, NewImage, TimeSpan.FromMinutes(10), cancellationToken: cancel.Token));

        Assert.AreEqual(0, server.Pushes.Count);
    }

    [TestMethod]
    [DataRow("apps/b/x.yaml", DisplayName = "one manifest's blob")]
    [DataRow("apps/b", DisplayName = "one directory's tree")]
    [DataRow("apps", DisplayName = "the trees' parent")]
    public void A_pack_that_leaves_out_a_wanted_object_is_a_coded_error_and_nothing_is_pushed(string left)
    {
        var (objects, refs) = Release();
        var id = IdAt(objects, left);
        using var server = new HostileTreelessServer([.. objects.Where(o => o.Id != id)], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server));

        Assert.AreEqual(0, server.Pushes.Count, error.Message);
    }

    [TestMethod]
    public void Held_a_pack_of_every_object_twice_and_objects_not_asked_for_pushes_exactly_the_three_manifests_changes()
    {
        var (objects, refs) = Release();
        var strangers = Enumerable.Range(0, 1000).Select(i => Blob($"not asked for {i}\n")).ToList();
        using var server = new HostileTreelessServer([.. objects, .. objects, .. strangers], refs);

        // The server's ls-refs never moves: the check after the push says so (GITOPS117), after one push.
        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server));

        Assert.AreEqual(Errors.ConfigPushNotApplied.Code, error.Code, error.Message);
        Assert.AreEqual(1, server.Pushes.Count);
        // The commit, the root, apps, three directories and three manifests: nothing the server sent unasked.
        Assert.AreEqual(9u, ObjectsPushed(server.Pushes[0]));
    }

    [TestMethod]
    [DataRow("tree", DisplayName = "a tree")]
    [DataRow("blob", DisplayName = "a blob")]
    [DataRow("absent", DisplayName = "an object the pack does not hold")]
    public void A_wanted_ref_or_ls_refs_tip_that_is_not_a_commit_is_a_coded_error_and_nothing_is_pushed(string kind)
    {
        var (objects, _) = Release();
        var id = kind switch
        {
            "tree" => objects[1].Id,
            "blob" => objects.First(o => o.Type == GitObjectType.Blob).Id,
            _ => new string('e', 40),
        };
        using var server = new HostileTreelessServer(objects, $"{id} HEAD symref-target:refs/heads/main\n{id} refs/heads/main\n")
        {
            WantedRefs = $"{id} refs/heads/main\n",
        };

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server));

        Assert.AreEqual(0, server.Pushes.Count, error.Message);
    }

    private void Deploy(HostileTreelessServer server) =>
        writer.Deploy(server.Url, Manifests, NewImage, TimeSpan.FromSeconds(30));

    // The tip (commit first, root second) of three manifests in apps/a, apps/b and apps/c.
    private static (List<WireObject> Objects, string Refs) Release()
    {
        var files = Manifests.Select(path => Blob(TestManifest.Deployment(OldImage) + $"# {path}\n")).ToList();
        var directories = files.Select(file => Tree(new TreeEntry("100644", "x.yaml", file.Id))).ToList();
        var apps = Tree(directories.Select((tree, i) => new TreeEntry("40000", ((char)('a' + i)).ToString(), tree.Id)).ToArray());
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        return ([commit, root, apps, .. directories, .. files], refs);
    }

    private static string IdAt(List<WireObject> objects, string path) => path switch
    {
        "apps" => objects[2].Id,
        "apps/b" => objects[4].Id,
        _ => objects[7].Id,
    };

    // How many objects the pack of a receive-pack request holds (its header).
    private static uint ObjectsPushed(byte[] push)
    {
        var at = push.AsSpan().IndexOf("PACK"u8);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(push.AsSpan(at + 8));
    }
}
