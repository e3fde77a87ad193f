using System.Text;
using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>pkt-lines, protocol v2 (ls-refs, fetch with deepen and filters) and receive-pack, against git's own server side.</summary>
[TestClass]
public sealed class ProtocolTests
{
    [TestMethod]
    public void Pkt_lines_round_trip_and_bad_lengths_are_refused()
    {
        using var output = new MemoryStream();
        PktLineWriter.WriteText(output, "command=ls-refs");
        PktLineWriter.WriteDelimiter(output);
        PktLineWriter.WriteData(output, [1, 2, 3]);
        PktLineWriter.WriteFlush(output);
        Assert.AreEqual("0014command=ls-refs\n0001", Encoding.ASCII.GetString(output.ToArray(), 0, 24));

        var reader = new PktLineReader(output.ToArray());
        Assert.AreEqual("command=ls-refs", reader.Read().Text);
        Assert.AreEqual(PktLineKind.Delimiter, reader.Read().Kind);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, reader.Read().Payload.ToArray());
        Assert.AreEqual(PktLineKind.Flush, reader.Read().Kind);
        Assert.IsTrue(reader.AtEnd);

        foreach (var bad in new[] { "zzzz", "0003", "00ffshort", "00" })
            Assert.ThrowsExactly<WireFormatException>(() => new PktLineReader(Encoding.ASCII.GetBytes(bad)).Read(), bad);
    }

    [TestMethod]
    public void An_ls_refs_id_that_is_not_40_hex_digits_is_a_wire_format_error_not_libgit2s_ArgumentException()
    {
        var id = new string('z', 40);
        var answer = Encoding.ASCII.GetBytes($"{id.Length + 17 + 4:x4}{id} refs/heads/main\n0000");

        Assert.ThrowsExactly<WireFormatException>(() => ProtocolV2.ParseLsRefs(answer));
    }

    [TestMethod]
    public void Capabilities_and_ls_refs_come_from_git_upload_pack_v2()
    {
        using var repository = WireRepository.Create(work => WireRepository.Write(work, "a.yaml", "a\n"));
        repository.Git("branch", "production");

        var capabilities = ProtocolV2.ParseCapabilities(repository.Advertisement());
        var refs = ProtocolV2.ParseLsRefs(repository.UploadPack(ProtocolV2.LsRefs(["HEAD", "refs/heads/"])));

        Assert.IsTrue(capabilities.IsV2);
        Assert.IsTrue(capabilities.Has("ls-refs"));
        Assert.IsTrue(capabilities.FetchHas("filter"), "uploadpack.allowFilter is on");
        Assert.IsTrue(capabilities.FetchHas("shallow"));
        Assert.AreEqual("refs/heads/main", refs.Single(r => r.Name == "HEAD").SymrefTarget);
        Assert.AreEqual(repository.Git("rev-parse", "production"), refs.Single(r => r.Name == "refs/heads/production").Id);

        repository.Git("config", "uploadpack.allowFilter", "false");
        Assert.IsFalse(ProtocolV2.ParseCapabilities(repository.Advertisement()).FetchHas("filter"), "off: no filter");
        Assert.IsFalse(ProtocolV2.ParseCapabilities("001e# service=git-upload-pack\n0000003f0123456789012345678901234567890123456789 HEAD\0side-band\n0000"u8.ToArray()).IsV2, "v0");
    }

    [TestMethod]
    public void A_depth_1_fetch_with_tree_filters_brings_the_commit_and_only_the_trees_asked_for()
    {
        using var repository = WireRepository.Create(
            work => WireRepository.Write(work, "apps/web/deployment.yaml", "image: web:aaa1111\n"),
            work => WireRepository.Write(work, "apps/other/big.txt", "other\n"));
        var tip = repository.Git("rev-parse", "main");
        var apps = repository.Git("rev-parse", "main:apps");
        var web = repository.Git("rev-parse", "main:apps/web");

        var tipObjects = Fetch(repository, [tip], 1, "tree:1");
        var appsAlone = Fetch(repository, [apps], null, "tree:0");
        var webWithEntries = Fetch(repository, [web], null, "tree:1");

        CollectionAssert.AreEquivalent(new[] { tip, repository.Git("rev-parse", "main^{tree}") }, tipObjects, "the commit and its root tree, not its parent");
        CollectionAssert.AreEquivalent(new[] { apps }, appsAlone);
        CollectionAssert.AreEquivalent(new[] { web, repository.Git("rev-parse", "main:apps/web/deployment.yaml") }, webWithEntries);
    }

    [TestMethod]
    public void A_fetch_by_ref_name_names_the_tip_in_wanted_refs_before_its_pack()
    {
        using var repository = WireRepository.Create(work => WireRepository.Write(work, "apps/web/deployment.yaml", "image: web:aaa1111\n"));
        var tip = repository.Git("rev-parse", "main");
        repository.Git("config", "uploadpack.allowRefInWant", "true");

        var answer = ProtocolV2.ParseFetchAnswer(repository.UploadPack(ProtocolV2.Fetch([], 1, "tree:2", wantRef: "refs/heads/main")));

        Assert.AreEqual(new RemoteRef("refs/heads/main", tip, null), answer.WantedRefs.Single());
        CollectionAssert.Contains(PackReader.Read(answer.Pack, PackTests.Unbounded).Select(o => o.Id).ToList(), tip);
        Assert.ThrowsExactly<WireFormatException>(() => ProtocolV2.ParseFetchAnswer(
            "0010wanted-refs\n0015not an id refs/x\n00010000"u8.ToArray()), "a wanted-refs line that is not an id and a ref");
    }

    [TestMethod]
    public void A_server_error_in_a_fetch_is_a_refusal()
    {
        using var repository = WireRepository.Create(work => WireRepository.Write(work, "a.yaml", "a\n"));
        var answer = "0019ERR upload-pack: nope\n"u8.ToArray();

        var refusal = Assert.ThrowsExactly<RemoteRefusedException>(() => ProtocolV2.ParseFetch(answer));
        StringAssert.Contains(refusal.Message, "nope");
        Assert.ThrowsExactly<WireFormatException>(() => ProtocolV2.ParseFetch("0000"u8.ToArray()));
    }

    [TestMethod]
    public void Receive_pack_applies_a_push_onto_the_tip_and_reports_a_moved_branch()
    {
        using var repository = WireRepository.Create(work => WireRepository.Write(work, "a.yaml", "a\n"));
        var tip = repository.Git("rev-parse", "main");
        var blob = new WireObject(GitObjectType.Blob, "b\n"u8.ToArray());
        var tree = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("100644", "a.yaml", blob.Id)]));
        var commit = new WireObject(GitObjectType.Commit, Encoding.UTF8.GetBytes(
            $"tree {tree.Id}\nparent {tip}\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nDeploy\n"));
        var pack = PackWriter.Write([blob, tree, commit]);

        var applied = ReceivePack.ParseReport(repository.ReceivePack(ReceivePack.Request("refs/heads/main", tip, commit.Id, pack)), "refs/heads/main");
        var stale = ReceivePack.ParseReport(repository.ReceivePack(ReceivePack.Request("refs/heads/main", tip, commit.Id, pack)), "refs/heads/main");

        Assert.IsTrue(applied.Ok, applied.Reason);
        Assert.AreEqual(commit.Id, repository.Git("rev-parse", "main"));
        repository.Git("fsck", "--strict", "--no-progress");
        Assert.IsFalse(stale.Ok, "main is no longer at the old id");
        Assert.IsTrue(GitOps.Build.ConfigRepo.GitErrorClassifier.IsConflict(stale.Reason!), stale.Reason);
    }

    private static List<string> Fetch(WireRepository repository, string[] wants, int? deepen, string filter) =>
        PackReader.Read(ProtocolV2.ParseFetch(repository.UploadPack(ProtocolV2.Fetch(wants, deepen, filter))), PackTests.Unbounded).Select(o => o.Id).ToList();
}
