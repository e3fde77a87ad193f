using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// Writes packs as a hostile server would: each entry's header says what the test wants (a size that is not its data's,
/// a delta's result of gigabytes), its data is deflated as given, and the pack's checksum is right, so that a reader
/// that trusts the headers goes on to allocate what they say. Git cannot be made to write such packs.
/// </summary>
internal sealed class BombPack
{
    /// <summary>The bombs DeltaBombTests sends and PackScannerTests reads, by name ((f) only unit tests read: 4,096 links).</summary>
    public static readonly IReadOnlyDictionary<string, Func<byte[]>> Kinds = new Dictionary<string, Func<byte[]>>
    {
        ["(a) a delta claiming 8 GiB"] = EightGibibyteResult,
        ["(b) a chain of deltas doubling to 1 GiB"] = () => DoublingChain(14),
        ["(c) a blob inflating past its declared size"] = InflatesPastItsSize,
        ["(d) a blob declaring 8 GiB"] = DeclaresEightGibibytes,
        ["(e) results adding up past four times the bound"] = () => ManyResults(12, 1L << 20),
        ["(f) a chain deeper than git writes"] = () => DeepChain(PackBounds.MaxDeltaDepth + 1),
    };

    private readonly List<byte[]> entries = [];
    private readonly List<long> offsets = [];
    private long length = 12;

    /// <summary>A blob whose header declares <paramref name="declared"/> bytes (null: its data's length); returns its index.</summary>
    public int Blob(byte[] data, long? declared = null) => Add(ObjectHeader(3, declared ?? data.Length), data);

    /// <summary>An object written whole, as its type says; returns its index.</summary>
    public int Whole(WireObject item) => Add(ObjectHeader((int)item.Type, item.Content.Length), item.Content);

    /// <summary>An OFS_DELTA against entry <paramref name="baseIndex"/>; returns its index.</summary>
    public int OffsetDelta(int baseIndex, byte[] delta)
    {
        var distance = length - offsets[baseIndex];
        // git's encoding of the distance back: base-128, most significant first, one added at each continuation.
        var bytes = new List<byte> { (byte)(distance & 0x7f) };
        while ((distance >>= 7) > 0)
            bytes.Insert(0, (byte)(0x80 | (--distance & 0x7f)));
        return Add([.. ObjectHeader(6, delta.Length), .. bytes], delta);
    }

    /// <summary>A REF_DELTA against the object named <paramref name="baseId"/>.</summary>
    public int ReferenceDelta(string baseId, byte[] delta) => Add([.. ObjectHeader(7, delta.Length), .. Convert.FromHexString(baseId)], delta);

    /// <summary>(a) A delta of a few bytes against a small blob whose header claims a result of 8 GiB.</summary>
    public static byte[] EightGibibyteResult()
    {
        var pack = new BombPack();
        var blob = pack.Blob("image: web:aaa1\n"u8.ToArray());
        pack.OffsetDelta(blob, Delta(16, 8L << 30, Insert("image: web:bbb2\n"u8.ToArray())));
        return pack.ToArray();
    }

    /// <summary>(b) A blob of 64 KiB of zeros, then <paramref name="links"/> deltas, each twice its base (the last 64 KiB × 2^links).</summary>
    public static byte[] DoublingChain(int links)
    {
        var pack = new BombPack();
        var previous = pack.Blob(new byte[0x10000]);
        for (long size = 0x10000, link = 0; link < links; link++, size *= 2)
            previous = pack.OffsetDelta(previous, Delta(size, size * 2, CopyWhole(size, 2)));
        return pack.ToArray();
    }

    /// <summary>(c) A blob that declares 16 bytes and whose zlib stream inflates to 64 MiB (of zeros, 64 KiB deflated).</summary>
    public static byte[] InflatesPastItsSize()
    {
        var pack = new BombPack();
        pack.Blob(new byte[64 << 20], declared: 16);
        return pack.ToArray();
    }

    /// <summary>(d) A blob whose header declares 8 GiB, with one byte of data.</summary>
    public static byte[] DeclaresEightGibibytes()
    {
        var pack = new BombPack();
        pack.Blob("x"u8.ToArray(), declared: 8L << 30);
        return pack.ToArray();
    }

    /// <summary>(e) <paramref name="count"/> deltas against one blob of 64 KiB, each a result of <paramref name="resultSize"/> bytes (a multiple of 64 KiB).</summary>
    public static byte[] ManyResults(int count, long resultSize)
    {
        var pack = new BombPack();
        var blob = pack.Blob(new byte[0x10000]);
        for (var i = 0; i < count; i++)
            pack.OffsetDelta(blob, Delta(0x10000, resultSize, CopyWhole(0x10000, (int)(resultSize / 0x10000))));
        return pack.ToArray();
    }

    /// <summary>A chain of <paramref name="links"/> deltas of one byte each (as deep as git never writes).</summary>
    public static byte[] DeepChain(int links)
    {
        var pack = new BombPack();
        var previous = pack.Blob("a"u8.ToArray());
        for (var link = 0; link < links; link++)
            previous = pack.OffsetDelta(previous, Delta(1, 1, Copy(0, 1)));
        return pack.ToArray();
    }

    public byte[] ToArray()
    {
        var header = new byte[12];
        "PACK"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)entries.Count);
        byte[] body = [.. header, .. entries.SelectMany(entry => entry)];
        return [.. body, .. SHA1.HashData(body)];
    }

    /// <summary>A delta's data: the base's size, the result's size (as declared, whatever the instructions make), the instructions.</summary>
    public static byte[] Delta(long baseSize, long resultSize, params byte[][] instructions) =>
        [.. Size(baseSize), .. Size(resultSize), .. instructions.SelectMany(instruction => instruction)];

    /// <summary>Copy <paramref name="count"/> bytes from <paramref name="offset"/> of the base (count at most 16 MiB - 1, or 64 KiB).</summary>
    public static byte[] Copy(long offset, int count)
    {
        var op = 0x80;
        var arguments = new List<byte>();
        for (var i = 0; i < 4; i++)
        {
            var b = (byte)(offset >> (8 * i));
            if (b == 0) continue;
            op |= 1 << i;
            arguments.Add(b);
        }
        for (var i = 0; i < 3 && count != 0x10000; i++)
        {
            var b = (byte)(count >> (8 * i));
            if (b == 0) continue;
            op |= 0x10 << i;
            arguments.Add(b);
        }
        return [(byte)op, .. arguments];
    }

    /// <summary>Copies that make <paramref name="times"/> whole copies of a base of <paramref name="baseSize"/> bytes (a multiple of 64 KiB).</summary>
    public static byte[][] CopyWhole(long baseSize, int times) =>
        Enumerable.Range(0, times).SelectMany(_ => Enumerable.Range(0, (int)(baseSize / 0x10000)).Select(i => Copy(i * 0x10000L, 0x10000))).ToArray();

    public static byte[] Insert(byte[] data) => [(byte)data.Length, .. data];

    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }

    private int Add(byte[] header, byte[] data)
    {
        offsets.Add(length);
        byte[] entry = [.. header, .. Deflate(data)];
        entries.Add(entry);
        length += entry.Length;
        return entries.Count - 1;
    }

    private static byte[] ObjectHeader(int type, long size)
    {
        var bytes = new List<byte> { (byte)((type << 4) | (int)(size & 0x0f)) };
        for (size >>= 4; size > 0; size >>= 7)
        {
            bytes[^1] |= 0x80;
            bytes.Add((byte)(size & 0x7f));
        }
        return [.. bytes];
    }

    private static byte[] Size(long size)
    {
        var bytes = new List<byte> { (byte)(size & 0x7f) };
        for (size >>= 7; size > 0; size >>= 7)
        {
            bytes[^1] |= 0x80;
            bytes.Add((byte)(size & 0x7f));
        }
        return [.. bytes];
    }
}
