using System.Text;
using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>Packs: ours read by git (index-pack, fsck), git's (with OFS and REF deltas) read by ours.</summary>
[TestClass]
public sealed class PackTests
{
    internal static readonly PackBounds Unbounded = PackBounds.For(long.MaxValue, uint.MaxValue);

    [TestMethod]
    public void A_pack_we_write_is_indexed_and_checked_by_git()
    {
        using var repository = WireRepository.Create(work => WireRepository.Write(work, "apps/web/deployment.yaml", "image: web:aaa1111\n"));
        var tip = repository.Git("rev-parse", "main");
        var blob = new WireObject(GitObjectType.Blob, "image: web:bbb2222\n"u8.ToArray());
        var web = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("100644", "deployment.yaml", blob.Id)]));
        var apps = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("40000", "web", web.Id)]));
        var root = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("40000", "apps", apps.Id)]));
        var commit = new WireObject(GitObjectType.Commit, Encoding.UTF8.GetBytes(
            $"tree {root.Id}\nparent {tip}\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nDeploy web:bbb2222\n"));

        var pack = PackWriter.Write([blob, web, apps, root, commit]);
        GitCli.RunBytes(repository.Path, pack, null, "index-pack", "--stdin", "--strict");
        repository.Git("update-ref", "refs/heads/main", commit.Id, tip);

        repository.Git("fsck", "--strict", "--no-progress");
        Assert.AreEqual(root.Id, repository.Git("rev-parse", "main^{tree}"));
        Assert.AreEqual(blob.Id, repository.Git("rev-parse", "main:apps/web/deployment.yaml"), "our object ids are git's");
        Assert.AreEqual("image: web:bbb2222", repository.Git("show", "main:apps/web/deployment.yaml"));
    }

    [TestMethod]
    public void A_thin_pack_of_deltas_against_the_tip_is_completed_by_git_and_checked()
    {
        // A manifest long enough that its delta is the smaller, in a directory of many apps (the tree on the path).
        var manifest = string.Concat(Enumerable.Repeat("# padding line of a long manifest\n", 40)) + "image: web:aaa1111\n";
        using var repository = WireRepository.Create(work =>
        {
            WireRepository.Write(work, "apps/web/deployment.yaml", manifest);
            for (var i = 0; i < 50; i++)
                WireRepository.Write(work, $"apps/app-{i:00}/deployment.yaml", $"image: app-{i}:aaa1111\n");
        });
        var tip = repository.Git("rev-parse", "main");
        var oldBlob = repository.Git("rev-parse", "main:apps/web/deployment.yaml");
        var oldApps = repository.Git("rev-parse", "main:apps");
        var oldAppsContent = GitCli.RunBytes(repository.Path, "cat-file", "tree", oldApps);
        var oldBlobContent = GitCli.RunBytes(repository.Path, "cat-file", "blob", oldBlob);
        var blob = new WireObject(GitObjectType.Blob, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(oldBlobContent).Replace("aaa1111", "bbb2222", StringComparison.Ordinal)));
        var web = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("100644", "deployment.yaml", blob.Id)]));
        var entries = TreeEntries.Parse(oldAppsContent).Select(e => e.Name == "web" ? new GitOps.Build.ConfigRepo.Wire.TreeEntry("40000", "web", web.Id) : e).ToList();
        var apps = new WireObject(GitObjectType.Tree, TreeEntries.Write(entries));
        var root = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("40000", "apps", apps.Id)]));
        var commit = new WireObject(GitObjectType.Commit, Encoding.UTF8.GetBytes(
            $"tree {root.Id}\nparent {tip}\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nDeploy web\n"));
        var bases = new Dictionary<string, (string Id, byte[] Content)>
        {
            [blob.Id] = (oldBlob, oldBlobContent),
            [apps.Id] = (oldApps, oldAppsContent),
        };

        var whole = PackWriter.Write([blob, web, apps, root, commit]);
        var thin = PackWriter.Write([blob, web, apps, root, commit], bases);
        GitCli.RunBytes(repository.Path, thin, null, "index-pack", "--stdin", "--fix-thin", "--strict");
        repository.Git("update-ref", "refs/heads/main", commit.Id, tip);

        repository.Git("fsck", "--strict", "--no-progress");
        Assert.AreEqual(blob.Id, repository.Git("rev-parse", "main:apps/web/deployment.yaml"));
        StringAssert.Contains(repository.Git("show", "main:apps/web/deployment.yaml"), "image: web:bbb2222");
        Assert.IsTrue(thin.Length < whole.Length - apps.Content.Length / 2, $"thin {thin.Length} bytes, whole {whole.Length}");
        foreach (var (target, source) in new[] { (blob.Content, bases[blob.Id].Content), (apps.Content, oldAppsContent) })
            CollectionAssert.AreEqual(target, PackDelta.Apply(source, PackDelta.Create(source, target)));
    }

    [TestMethod]
    public void Git_packs_with_offset_and_reference_deltas_are_read_object_for_object()
    {
        // Ten versions of one large file: git stores all but one as deltas.
        var versions = Enumerable.Range(0, 10).Select(version => (Action<string>)(work =>
            WireRepository.Write(work, "values.yaml", string.Concat(Enumerable.Range(0, 400).Select(line => $"key{line}: {(line == version * 7 ? $"changed in {version}" : "value")}\n")))));
        using var repository = WireRepository.Create(versions.ToArray());
        var expected = repository.Git("rev-list", "--objects", "main").Split('\n').Select(line => line[..40]).Order().ToList();

        foreach (var offsets in new[] { true, false })
        {
            var arguments = new List<string> { "pack-objects", "--stdout", "--revs", "--no-reuse-delta" };
            if (offsets) arguments.Add("--delta-base-offset");
            var pack = GitCli.RunBytes(repository.Path, "main\n"u8.ToArray(), null, arguments.ToArray());
            Assert.IsTrue(Deltas(repository, pack) > 0, "the pack holds deltas");

            var objects = PackReader.Read(pack, Unbounded);

            CollectionAssert.AreEqual(expected, objects.Select(o => o.Id).Order().ToList(), offsets ? "OFS_DELTA" : "REF_DELTA");
            var file = objects.Single(o => o.Id == repository.Git("rev-parse", "main~3:values.yaml"));
            Assert.AreEqual(repository.Git("show", "main~3:values.yaml") + "\n", Encoding.UTF8.GetString(file.Content));
        }
    }

    [TestMethod]
    public void A_corrupt_truncated_or_oversized_pack_is_refused()
    {
        using var repository = WireRepository.Create(work => WireRepository.Write(work, "a.yaml", string.Concat(Enumerable.Repeat("image: web:aaa1111\n", 100))));
        var pack = GitCli.RunBytes(repository.Path, "main\n"u8.ToArray(), null, "pack-objects", "--stdout", "--revs");

        var flipped = pack.ToArray();
        flipped[20] ^= 0xff;
        Assert.ThrowsExactly<WireFormatException>(() => PackReader.Read(flipped, Unbounded));
        Assert.ThrowsExactly<WireFormatException>(() => PackReader.Read(pack.AsSpan(0, pack.Length - 30), Unbounded));
        Assert.ThrowsExactly<PackBoundException>(() => PackReader.Read(pack, PackBounds.For(400, 10)), "inflates past the limit");
        Assert.AreEqual(3, PackReader.Read(pack, PackBounds.For(1_000_000, 10)).Count);
    }

    [TestMethod]
    public void Trees_are_read_and_written_byte_for_byte_in_gits_order()
    {
        using var repository = WireRepository.Create(work =>
        {
            WireRepository.Write(work, "a.b", "file\n");
            WireRepository.Write(work, "a/c", "in a directory named like the file's prefix\n");
            WireRepository.Write(work, "a-b", "file\n");
            WireRepository.Write(work, "Z", "upper case first\n");
            WireRepository.Write(work, "é.yaml", "not ASCII\n");
        });
        var tree = repository.Git("rev-parse", "main^{tree}");
        var bytes = GitCli.RunBytes(repository.Path, "cat-file", "tree", tree);

        var entries = TreeEntries.Parse(bytes);
        var shuffled = entries.AsEnumerable().Reverse().ToList();

        CollectionAssert.AreEqual(bytes, TreeEntries.Write(shuffled));
        Assert.AreEqual(tree, WireObject.IdOf(GitObjectType.Tree, TreeEntries.Write(shuffled)));
        Assert.IsTrue(entries.Single(e => e.Name == "a").IsTree);
        Assert.IsTrue(entries.Any(e => e.Name == "é.yaml"));
    }

    private static int Deltas(WireRepository repository, byte[] pack)
    {
        var packFile = Path.Combine(repository.Path, "probe.pack");
        File.WriteAllBytes(packFile, pack);
        GitCli.Run(repository.Path, "index-pack", packFile);
        var verbose = GitCli.Run(repository.Path, "verify-pack", "-v", packFile);
        return verbose.Split('\n').Count(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 7 && line.Length > 40 && line[40] == ' ');
    }
}
