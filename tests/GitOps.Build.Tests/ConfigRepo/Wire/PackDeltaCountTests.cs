using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// The sixth hostile probe (issue 20): a pack of many small deltas (17 MB on the wire, within the million-object bound)
/// must be read in time linear in its objects, and stop when its read's check (the deadline, Ctrl+C) says so. The
/// treeless reader resolved deltas by scanning and shrinking the list of those still pending: quadratic (100,000 deltas
/// 5 s, a million some ten minutes), with no look at GitOpsConfigTimeout or Ctrl+C in between.
/// </summary>
[TestClass]
public sealed class PackDeltaCountTests
{
    private const int Deltas = 999_000;

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void A_pack_of_a_million_deltas_is_read_in_one_pass()
    {
        var pack = ManyDeltas(Deltas);

        // Before: some ten minutes in PackReader (every delta resolved moved all those after it in the pending list).
        Assert.AreEqual(Deltas + 1, PackReader.Read(pack, PackBounds.For(256L << 20, 1_000_000)).Count);
    }

    [TestMethod]
    public void A_read_of_many_objects_stops_when_its_check_throws()
    {
        var pack = ManyDeltas(3 * PackReader.ObjectsBetweenChecks);
        var checks = 0;

        Assert.ThrowsExactly<OperationCanceledException>(() => PackReader.Read(pack, PackBounds.For(256L << 20, 1_000_000), () =>
        {
            if (++checks == 2) throw new OperationCanceledException();
        }));
        Assert.AreEqual(2, checks);
    }

    [TestMethod]
    public void Deltas_whose_bases_come_later_or_name_each_other_resolve_or_are_refused()
    {
        // REF_DELTAs naming results made further on (a chain written backwards): every link is made, whatever the order.
        var pack = new BombPack();
        var contents = Enumerable.Range(1, 50).Select(length => new string('a', length)).ToList();
        var ids = contents.Select(text => Hostile.HostileTreelessServer.Blob(text).Id).ToList();
        for (var link = contents.Count - 1; link > 0; link--)
            pack.ReferenceDelta(ids[link - 1], BombPack.Delta(link, link + 1, BombPack.Copy(0, link), BombPack.Insert("a"u8.ToArray())));
        pack.Blob("a"u8.ToArray());
        CollectionAssert.AreEquivalent(ids, PackReader.Read(pack.ToArray(), PackBounds.For(1L << 20, 1_000)).Select(o => o.Id).ToList());

        // Two REF_DELTAs naming each other's results, and an OFS_DELTA naming itself: never made, a corrupt pack.
        var cycle = new BombPack();
        cycle.ReferenceDelta(ids[1], BombPack.Delta(2, 1, BombPack.Copy(0, 1)));
        cycle.ReferenceDelta(ids[0], BombPack.Delta(1, 2, BombPack.Copy(0, 1), BombPack.Insert("a"u8.ToArray())));
        var error = Assert.ThrowsExactly<WireFormatException>(() => PackReader.Read(cycle.ToArray(), PackBounds.For(1L << 20, 1_000)));
        StringAssert.Contains(error.Message, "2 deltas against objects not in the pack");
    }

    private static byte[] ManyDeltas(int count)
    {
        var pack = new BombPack();
        var blob = pack.Blob("a"u8.ToArray());
        for (var i = 0; i < count; i++)
            pack.OffsetDelta(blob, BombPack.Delta(1, 1, BombPack.Copy(0, 1)));
        return pack.ToArray();
    }
}
