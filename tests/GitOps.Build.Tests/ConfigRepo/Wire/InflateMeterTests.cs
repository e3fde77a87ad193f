using System.IO.Compression;
using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// The meter against .NET's deflater (stored, fixed and dynamic blocks at every level), fed in pieces of every size:
/// it counts what the stream inflates to, keeps its first bytes, stops at the stream's last byte, and fails as soon as
/// the stream passes what it may inflate to.
/// </summary>
[TestClass]
public sealed class InflateMeterTests
{
    private static readonly byte[] Next = "next object"u8.ToArray();

    public static IEnumerable<object[]> Streams()
    {
        var random = new Random(20);
        foreach (var size in new[] { 1, 19, 300, 70_000, 300_000 })
        {
            foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize })
            {
                // YAML-like text (dynamic blocks, back-references), random bytes (stored blocks), zeros (long runs).
                var text = string.Concat(Enumerable.Range(0, size / 8 + 1).Select(i => $"key{i % 97}: value{random.Next(50)}\n"))[..size];
                var noise = new byte[size];
                random.NextBytes(noise);
                yield return [System.Text.Encoding.ASCII.GetBytes(text), level];
                yield return [noise, level];
                yield return [new byte[size], level];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Streams))]
    public void Counts_keeps_the_head_and_stops_at_the_stream_s_end_in_pieces_of_any_size(byte[] data, CompressionLevel level)
    {
        var stream = Deflate(data, level);
        byte[] input = [.. stream, .. Next];
        foreach (var piece in new[] { 1, 2, 7, 1000, 65536, input.Length })
        {
            var meter = new InflateMeter(data.Length, keep: 20);
            var used = 0;
            for (var at = 0; at < input.Length && !meter.Finished; at += piece)
                used += meter.Feed(input.AsSpan(at, Math.Min(piece, input.Length - at)));

            Assert.IsTrue(meter.Finished, $"piece {piece}");
            Assert.AreEqual(stream.Length, used, $"piece {piece}: the bytes after the stream are not its own");
            Assert.AreEqual(data.Length, meter.Output, $"piece {piece}");
            CollectionAssert.AreEqual(data.Take(20).ToArray(), meter.Head.ToArray(), $"piece {piece}");
        }
    }

    [TestMethod]
    public void A_stream_that_inflates_past_its_bound_fails_at_once()
    {
        var stream = Deflate(new byte[64 << 20], CompressionLevel.Optimal);
        var meter = new InflateMeter(16);

        var error = Assert.ThrowsExactly<PackBoundException>(() => meter.Feed(stream.AsSpan(0, 200)));

        StringAssert.Contains(error.Message, "16 bytes");
        Assert.IsTrue(meter.Output < 1000, $"stopped after {meter.Output} bytes");
    }

    [TestMethod]
    public void Not_a_zlib_stream_is_invalid_data()
    {
        Assert.ThrowsExactly<InvalidDataException>(() => new InflateMeter(100).Feed("not zlib"u8));
        // A dynamic block whose header claims more codes than deflate has.
        Assert.ThrowsExactly<InvalidDataException>(() => new InflateMeter(100).Feed([0x78, 0x9c, 0xfd, 0xff, 0xff, 0xff]));
    }

    private static byte[] Deflate(byte[] data, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }
}
