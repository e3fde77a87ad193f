using System.Buffers.Binary;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class PackHeaderReaderTests
{
    [TestMethod]
    public void The_count_is_found_after_the_pkt_lines_of_a_raw_pack()
    {
        var reader = new PackHeaderReader();

        Assert.IsNull(reader.Observe([.. "0000"u8, .. RefAdvertisementLimitTests.Pkt("NAK\n"), .. "PACK"u8]));
        Assert.AreEqual(7u, reader.Observe(Header(7)[4..]));
    }

    [TestMethod]
    public void The_count_is_found_in_band_1_split_across_packets_and_reads_with_progress_between()
    {
        var reader = new PackHeaderReader();
        var header = Header(1_000_001);
        var stream = new List<byte>();
        stream.AddRange(RefAdvertisementLimitTests.Pkt("NAK\n"));
        stream.AddRange(SideBand(2, "Counting objects\r"u8.ToArray()));
        stream.AddRange(SideBand(1, header[..5]));
        stream.AddRange(SideBand(2, "Compressing\r"u8.ToArray()));
        stream.AddRange(SideBand(1, header[5..]));
        var bytes = stream.ToArray();

        uint? count = null;
        foreach (var one in bytes)
            count ??= reader.Observe([one]);

        Assert.AreEqual(1_000_001u, count);
    }

    [TestMethod]
    public void A_receive_pack_report_has_no_pack()
    {
        var reader = new PackHeaderReader();

        Assert.IsNull(reader.Observe(SideBand(1, [.. RefAdvertisementLimitTests.Pkt("unpack ok\n"), .. RefAdvertisementLimitTests.Pkt("ok refs/heads/main\n"), .. "0000"u8])));
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
