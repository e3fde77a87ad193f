using GitOps.Build.ConfigRepo.Wire;
using static GitOps.Build.Tests.ConfigRepo.Wire.BombPack;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// Issue 20, seventh probe: the sixth probe's one-pass delta resolution (df40d0d) tried at its edges. Packs written by
/// hand (<see cref="BombPack"/>: git cannot be made to write them). Each is read, or refused as corrupt or past a bound,
/// never an exception of another kind (MSB4018) nor an allocation its headers did not declare.
/// </summary>
[TestClass]
public sealed class SeventhProbePackTests
{
    private static readonly PackBounds Bounds = PackBounds.For(1L << 20, 1_000_000);

    [TestMethod]
    public void A_chain_of_offset_deltas_at_the_depth_bound_is_read_and_one_more_is_refused()
    {
        Assert.AreEqual(PackBounds.MaxDeltaDepth + 1, PackReader.Read(DeepChain(PackBounds.MaxDeltaDepth), Bounds).Count);
        Assert.ThrowsExactly<PackBoundException>(() => PackReader.Read(DeepChain(PackBounds.MaxDeltaDepth + 1), Bounds));
    }

    [TestMethod]
    public void A_chain_of_reference_deltas_written_backwards_counts_its_depth_through_each_result()
    {
        // Each link's base is the result of the delta written after it: the depth must follow results made by id.
        // Results of 1 to 4,096 bytes: some 8 MiB in all, inside these bounds.
        var bounds = PackBounds.For(16L << 20, 1_000_000);
        Assert.AreEqual(PackBounds.MaxDeltaDepth + 1, PackReader.Read(BackwardsChain(PackBounds.MaxDeltaDepth), bounds).Count);
        var error = Assert.ThrowsExactly<PackBoundException>(() => PackReader.Read(BackwardsChain(PackBounds.MaxDeltaDepth + 1), bounds));
        StringAssert.Contains(error.Message, "a chain of more than");
    }

    [TestMethod]
    public void A_base_present_twice_is_used_at_its_shallowest()
    {
        // The blob "a" at the end of a chain at the bound (the same bytes at each link) and whole at the start:
        // a REF_DELTA on "a" is one link from the whole one, not past the bound.
        var pack = new BombPack();
        var previous = pack.Blob("a"u8.ToArray());
        for (var link = 0; link < PackBounds.MaxDeltaDepth; link++)
            previous = pack.OffsetDelta(previous, Delta(1, 1, Copy(0, 1)));
        pack.ReferenceDelta(Id("a"), Delta(1, 2, Copy(0, 1), Insert("b"u8.ToArray())));

        Assert.IsTrue(PackReader.Read(pack.ToArray(), Bounds).Any(o => o.Id == Id("ab")));
    }

    [TestMethod]
    [DataRow(2, 1, "base of another size")]          // the base's size lies (the base is one byte)
    [DataRow(1, 2, "shorter than its result size")]  // the result's size lies upwards
    [DataRow(1, 0, "out of bounds")]                 // and downwards
    public void A_delta_whose_sizes_lie_is_a_corrupt_pack(int baseSize, int resultSize, string reason)
    {
        var pack = new BombPack();
        var blob = pack.Blob("a"u8.ToArray());
        pack.OffsetDelta(blob, Delta(baseSize, resultSize, Copy(0, 1)));

        var error = Assert.ThrowsExactly<WireFormatException>(() => PackReader.Read(pack.ToArray(), Bounds));
        StringAssert.Contains(error.Message, reason);
    }

    [TestMethod]
    [DataRow(0L, 2)]              // one byte past the base's end
    [DataRow(1L, 1)]              // starting at its end
    [DataRow(0xFFFF_FFFFL, 1)]    // the largest offset the format holds
    [DataRow(0L, 0x10000)]        // a size of 0: 64 KiB, against a base of one byte
    public void A_copy_past_the_base_is_a_corrupt_pack(long offset, int count)
    {
        var pack = new BombPack();
        var blob = pack.Blob("a"u8.ToArray());
        pack.OffsetDelta(blob, Delta(1, count, Copy(offset, count)));

        var error = Assert.ThrowsExactly<WireFormatException>(() => PackReader.Read(pack.ToArray(), Bounds));
        StringAssert.Contains(error.Message, "a delta copy out of bounds");
    }

    [TestMethod]
    public void An_insert_past_the_delta_s_end_and_the_reserved_instruction_are_a_corrupt_pack()
    {
        foreach (var instructions in new[] { new byte[] { 5, (byte)'a' }, [0] })
        {
            var pack = new BombPack();
            var blob = pack.Blob("a"u8.ToArray());
            pack.OffsetDelta(blob, Delta(1, 5, instructions));
            Assert.ThrowsExactly<WireFormatException>(() => PackReader.Read(pack.ToArray(), Bounds));
        }
    }

    [TestMethod]
    public void A_reference_delta_whose_base_is_a_later_delta_of_a_later_delta_is_made()
    {
        // d1 (first in the pack) on the result of d2, d2 on the result of d3, d3 on the blob written last.
        var pack = new BombPack();
        pack.ReferenceDelta(Id("abc"), Delta(3, 4, Copy(0, 3), Insert("d"u8.ToArray())));
        pack.ReferenceDelta(Id("ab"), Delta(2, 3, Copy(0, 2), Insert("c"u8.ToArray())));
        pack.ReferenceDelta(Id("a"), Delta(1, 2, Copy(0, 1), Insert("b"u8.ToArray())));
        pack.Blob("a"u8.ToArray());

        CollectionAssert.AreEqual(new[] { Id("abcd"), Id("abc"), Id("ab"), Id("a") }, PackReader.Read(pack.ToArray(), Bounds).Select(o => o.Id).ToList());
    }

    // Link n makes n + 1 'a's of the n before it; written last link first, the whole blob "a" at the end.
    private static byte[] BackwardsChain(int links)
    {
        var pack = new BombPack();
        for (var link = links; link > 0; link--)
            pack.ReferenceDelta(Id(new string('a', link)), Delta(link, link + 1, Copy(0, link), Insert("a"u8.ToArray())));
        pack.Blob("a"u8.ToArray());
        return pack.ToArray();
    }

    private static string Id(string text) => Hostile.HostileTreelessServer.Blob(text).Id;
}
