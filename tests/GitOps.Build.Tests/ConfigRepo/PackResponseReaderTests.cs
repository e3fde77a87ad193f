using System.Buffers.Binary;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class PackResponseReaderTests
{
    private static readonly PackBounds Bounds = PackBounds.For(1L << 20, uint.MaxValue);

    [TestMethod]
    public void The_count_is_found_after_the_pkt_lines_of_a_raw_pack()
    {
        var reader = new PackResponseReader();

        reader.Observe([.. "0000"u8, .. RefAdvertisementLimitTests.Pkt("NAK\n"), .. "PACK"u8], Bounds);
        Assert.IsNull(reader.Count);
        reader.Observe(Header(7)[4..], Bounds);
        Assert.AreEqual(7u, reader.Count);
    }

    [TestMethod]
    public void The_count_is_found_in_band_1_split_across_packets_and_reads_with_progress_between()
    {
        var reader = new PackResponseReader();
        var header = Header(1_000_001);
        var stream = new List<byte>();
        stream.AddRange(RefAdvertisementLimitTests.Pkt("NAK\n"));
        stream.AddRange(SideBand(2, "Counting objects\r"u8.ToArray()));
        stream.AddRange(SideBand(1, header[..5]));
        stream.AddRange(SideBand(2, "Compressing\r"u8.ToArray()));
        stream.AddRange(SideBand(1, header[5..]));
        var bytes = stream.ToArray();

        foreach (var one in bytes)
            reader.Observe([one], Bounds);

        Assert.AreEqual(1_000_001u, reader.Count);
    }

    [TestMethod]
    public void A_receive_pack_report_has_no_pack()
    {
        var reader = new PackResponseReader();

        reader.Observe(SideBand(1, [.. RefAdvertisementLimitTests.Pkt("unpack ok\n"), .. RefAdvertisementLimitTests.Pkt("ok refs/heads/main\n"), .. "0000"u8]), Bounds);

        Assert.IsNull(reader.Count);
    }

    private static byte[] Header(uint objects)
    {
        var header = new byte[12];
        "PACK"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), objects);
        return header;
    }

    private static byte[] SideBand(byte band, byte[] data) =>
        [.. System.Text.Encoding.ASCII.GetBytes((data.Length + 5).ToString("x4")), band, .. data];
}
