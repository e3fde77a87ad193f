using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// Reads a whole pack (version 2 or 3) into its objects, resolving OFS_DELTA and REF_DELTA entries against objects of
/// the same pack (a fetch that does not ask for a thin pack gets no others). Bounded: the pack is already in memory
/// (the transport capped its size), and <see cref="PackBounds"/> cap what its headers may make this allocate; each
/// object's data is metered (<see cref="InflateMeter"/>) before an array of its declared size is made for it.
/// </summary>
internal static class PackReader
{
    private const int OfsDelta = 6;
    private const int RefDelta = 7;

    /// <summary>How many objects are read, or deltas applied, between two calls of a read's check (the deadline, Ctrl+C).</summary>
    internal const int ObjectsBetweenChecks = 4096;

    /// <param name="pack">The whole pack, its checksum included.</param>
    /// <param name="bounds">What its headers may declare.</param>
    /// <param name="check">Called every <see cref="ObjectsBetweenChecks"/> objects: throws to stop (the deadline, Ctrl+C).</param>
    /// <exception cref="WireFormatException">The pack is corrupt.</exception>
    /// <exception cref="PackBoundException">It declares more than <paramref name="bounds"/> allow.</exception>
    public static IReadOnlyList<WireObject> Read(ReadOnlySpan<byte> pack, PackBounds bounds, Action? check = null)
    {
        if (pack.Length < 32 || !pack.StartsWith("PACK"u8))
            throw new WireFormatException("the pack does not start with PACK");
        var version = ReadUInt32(pack[4..]);
        if (version is not (2 or 3))
            throw new WireFormatException($"pack version {version}");
        var count = ReadUInt32(pack[8..]);
        var body = pack[..^20];
        if (!SHA1.HashData(body).AsSpan().SequenceEqual(pack[^20..]))
            throw new WireFormatException("the pack's checksum does not match");
        if (count > (uint)body.Length)
            throw new WireFormatException($"a pack of {body.Length} bytes cannot hold {count} objects");
        if (count > bounds.MaxObjects)
            throw new PackBoundException(Invariant($"{count:N0} objects (the bound is {bounds.MaxObjects:N0})"), objectCount: true);

        var inflated = 0L;
        var byOffset = new Dictionary<long, WireObject>();
        // Whole objects and, as they are made, the deltas' results: what deltas waiting for them are applied to.
        var done = new Queue<(long Offset, WireObject Item, int Depth)>();
        // Deltas by the base they wait for: its offset (OFS_DELTA) or its id (REF_DELTA, which may be another delta's result).
        // Each delta is looked at once, when its base is there: a pack of a million deltas in any order is read in one pass.
        var byBaseOffset = new Dictionary<long, List<(long Offset, byte[] Delta)>>();
        var byBaseId = new Dictionary<string, List<(long Offset, byte[] Delta)>>(StringComparer.Ordinal);
        var deltas = 0;
        var position = 12;
        for (var i = 0; i < count; i++)
        {
            if (i % ObjectsBetweenChecks == ObjectsBetweenChecks - 1)
                check?.Invoke();
            var start = position;
            var (type, size) = ReadHeader(body, ref position);
            long baseOffset = -1;
            string? baseId = null;
            if (type == OfsDelta)
                baseOffset = start - ReadOffset(body, ref position);
            else if (type == RefDelta)
            {
                if (body.Length - position < 20)
                    throw new WireFormatException("a truncated REF_DELTA");
                baseId = Convert.ToHexString(body.Slice(position, 20)).ToLowerInvariant();
                position += 20;
            }
            else if (type is < 1 or > 4)
                throw new WireFormatException($"an object of unknown type {type}");

            var delta = type is OfsDelta or RefDelta;
            if (size > bounds.MaxObjectBytes)
                throw new PackBoundException(Invariant($"{(delta ? "a delta" : "an object")} declares {size:N0} bytes (the bound is {bounds.MaxObjectBytes:N0})"));
            inflated = Add(inflated, size, bounds);
            var data = Inflate(body, ref position, size);
            if (delta)
            {
                // The result is allocated when the delta is applied: its size counts now, before any is.
                var resultSize = PackDelta.ResultSize(data);
                if (resultSize > (ulong)bounds.MaxObjectBytes)
                    throw new PackBoundException(Invariant($"a delta declares a result of {resultSize:N0} bytes (the bound is {bounds.MaxObjectBytes:N0})"));
                inflated = Add(inflated, (long)resultSize, bounds);
                if (baseId is null)
                    Wait(byBaseOffset, baseOffset, (start, data));
                else
                    Wait(byBaseId, baseId, (start, data));
                deltas++;
            }
            else
            {
                var item = new WireObject((GitObjectType)type, data);
                byOffset[start] = item;
                done.Enqueue((start, item, 0));
            }
        }
        if (position != body.Length)
            throw new WireFormatException("bytes left after the pack's last object");

        // Deltas may name bases that are deltas themselves: each is applied when its base is made.
        var applied = 0;
        var named = new HashSet<string>(StringComparer.Ordinal);
        while (done.TryDequeue(out var made))
        {
            var waiting = byBaseOffset.Remove(made.Offset, out var atOffset) ? atOffset : null;
            // The first object of an id is the base of the REF_DELTAs naming it (all objects of one id are the same bytes).
            if (named.Add(made.Item.Id) && byBaseId.Remove(made.Item.Id, out var onId))
                waiting = waiting is null ? onId : [.. waiting, .. onId];
            foreach (var (offset, delta) in waiting ?? [])
            {
                if (++applied % ObjectsBetweenChecks == 0)
                    check?.Invoke();
                if (made.Depth + 1 > PackBounds.MaxDeltaDepth)
                    throw new PackBoundException(Invariant($"a chain of more than {PackBounds.MaxDeltaDepth:N0} deltas"));
                var item = new WireObject(made.Item.Type, PackDelta.Apply(made.Item.Content, delta));
                byOffset[offset] = item;
                done.Enqueue((offset, item, made.Depth + 1));
            }
        }
        if (applied != deltas)
            throw new WireFormatException($"{deltas - applied} deltas against objects not in the pack");
        return byOffset.OrderBy(pair => pair.Key).Select(pair => pair.Value).ToList();
    }

    private static void Wait<TKey>(Dictionary<TKey, List<(long, byte[])>> waiting, TKey key, (long, byte[]) delta)
        where TKey : notnull
    {
        if (!waiting.TryGetValue(key, out var list))
            waiting[key] = list = [];
        list.Add(delta);
    }

    private static long Add(long inflated, long bytes, PackBounds bounds)
    {
        var total = bytes > long.MaxValue - inflated ? long.MaxValue : inflated + bytes;
        return total <= bounds.MaxTotalBytes
            ? total
            : throw new PackBoundException(Invariant($"its objects and deltas declare more than {bounds.MaxTotalBytes:N0} bytes in all (the bound)"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);

    private static (int Type, long Size) ReadHeader(ReadOnlySpan<byte> body, ref int position)
    {
        var b = Next(body, ref position);
        var type = (b >> 4) & 7;
        long size = b & 15;
        for (var shift = 4; (b & 0x80) != 0; shift += 7)
        {
            if (shift > 56) throw new WireFormatException("an object size too large");
            b = Next(body, ref position);
            size |= (long)(b & 0x7f) << shift;
        }
        return (type, size);
    }

    // OFS_DELTA's distance back: base-128 with one added at each continuation (git's encoding).
    private static long ReadOffset(ReadOnlySpan<byte> body, ref int position)
    {
        var b = Next(body, ref position);
        long offset = b & 0x7f;
        while ((b & 0x80) != 0)
        {
            if (offset > int.MaxValue) throw new WireFormatException("an OFS_DELTA offset too large");
            b = Next(body, ref position);
            offset = ((offset + 1) << 7) | (uint)(b & 0x7f);
        }
        return offset;
    }

    private static byte Next(ReadOnlySpan<byte> body, ref int position) =>
        position < body.Length ? body[position++] : throw new WireFormatException("the pack ended inside an object header");

    /// <summary>
    /// Inflates one object's zlib stream and moves past exactly its bytes. The meter finds where the stream ends and
    /// that it inflates to exactly <paramref name="size"/> (failing as soon as it would pass it) before anything of that
    /// size is allocated; .NET's inflater, which reads ahead, then inflates just those bytes.
    /// </summary>
    private static byte[] Inflate(ReadOnlySpan<byte> body, ref int position, long size)
    {
        var meter = new InflateMeter(size);
        int length;
        try
        {
            length = meter.Feed(body[position..]);
        }
        catch (PackBoundException e)
        {
            throw new PackBoundException("an object's data " + e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new WireFormatException($"a corrupt object ({e.Message})");
        }
        if (!meter.Finished)
            throw new WireFormatException("the pack ended inside an object");
        if (meter.Output != size)
            throw new WireFormatException("an object smaller than its header says");

        var output = new byte[size];
        using (var zlib = new ZLibStream(new MemoryStream(body.Slice(position, length).ToArray()), CompressionMode.Decompress))
        {
            try
            {
                zlib.ReadExactly(output);
                // The end of the stream, where .NET checks the Adler-32.
                if (zlib.ReadByte() != -1)
                    throw new WireFormatException("an object larger than its header says");
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new WireFormatException($"a corrupt object ({e.Message})");
            }
        }
        position += length;
        return output;
    }
}
