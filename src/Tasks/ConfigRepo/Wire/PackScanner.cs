using System.Buffers.Binary;
using System.Globalization;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// Follows a pack as it streams past, in pieces of any size, keeping none of it: its header, then each object's header,
/// its zlib stream metered (<see cref="InflateMeter"/>: never more than the object declares) and, for a delta, the base
/// and result sizes that start its data. Fails with <see cref="PackBoundException"/> as soon as a header declares more
/// than <see cref="PackBounds"/> allow, before whoever reads the pack (libgit2's indexer) allocates it. What is merely
/// corrupt ends the scan: the reader says what is wrong with it.
/// </summary>
/// <remarks>
/// The depth of an OFS_DELTA's chain is known from its base's offset; a REF_DELTA names its base by id, which only
/// hashing the inflated objects would give, so it counts as one link (libgit2 reports progress, and so meets
/// GitOpsConfigTimeout, after each delta it resolves).
/// </remarks>
internal sealed class PackScanner(PackBounds bounds)
{
    private const int OfsDelta = 6;
    private const int RefDelta = 7;
    // A delta starts with two sizes of at most ten bytes each.
    private const int DeltaHeaderBytes = 20;

    private readonly byte[] header = new byte[12];
    // The offsets of the deltas seen, ascending, and the depth of their chains (what is not here is a whole object).
    private readonly List<long> deltaStarts = [];
    private readonly List<short> deltaDepths = [];
    private Stage stage = Stage.PackHeader;
    private int headerLength;
    private uint objectsLeft;
    private long offset;
    private long objectStart;
    private int type;
    private long size;
    private int shift;
    private long distance;
    private int skip;
    private int depth;
    private long total;
    private bool deltaHeaderRead;
    private InflateMeter? meter;

    private enum Stage { PackHeader, ObjectHeader, ObjectSize, BaseOffset, BaseId, Data, Done }

    /// <summary>The object count the pack declares, once its header was read.</summary>
    public uint? Count { get; private set; }

    /// <summary>True after the last object, or when the bytes are not (or no longer) a pack.</summary>
    public bool Done => stage == Stage.Done;

    /// <exception cref="PackBoundException">The pack declares more than the bounds allow.</exception>
    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && stage != Stage.Done)
        {
            var used = stage == Stage.Data ? Data(data) : Header(data[0]);
            offset += used;
            data = data[used..];
        }
    }

    // One byte of the pack's or an object's header.
    private int Header(byte b)
    {
        switch (stage)
        {
            case Stage.PackHeader:
                header[headerLength++] = b;
                if (headerLength == 4 && !header.AsSpan(0, 4).SequenceEqual("PACK"u8))
                    stage = Stage.Done;
                else if (headerLength == header.Length)
                    PackHeader();
                break;
            case Stage.ObjectHeader:
                objectStart = offset;
                type = (b >> 4) & 7;
                size = b & 15;
                shift = 4;
                if ((b & 0x80) == 0) ObjectHeaderRead();
                else stage = Stage.ObjectSize;
                break;
            case Stage.ObjectSize:
                if (shift > 56)
                    throw new PackBoundException("an object declares a size beyond 2^60 bytes");
                size |= (long)(b & 0x7f) << shift;
                shift += 7;
                if ((b & 0x80) == 0) ObjectHeaderRead();
                break;
            case Stage.BaseOffset:
                if (distance > int.MaxValue)
                {
                    stage = Stage.Done; // no pack this large: corrupt
                    break;
                }
                distance = ((distance + 1) << 7) | (uint)(b & 0x7f);
                if ((b & 0x80) == 0) BaseFound(DepthAt(objectStart - distance) + 1);
                break;
            case Stage.BaseId:
                if (--skip == 0) BaseFound(1);
                break;
        }
        return 1;
    }

    private void PackHeader()
    {
        var version = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        if (version is not (2 or 3))
        {
            stage = Stage.Done;
            return;
        }
        Count = count;
        if (count > bounds.MaxObjects)
            throw new PackBoundException(Invariant($"{count:N0} objects (the bound is {bounds.MaxObjects:N0})"), objectCount: true);
        objectsLeft = count;
        stage = count == 0 ? Stage.Done : Stage.ObjectHeader;
    }

    private void ObjectHeaderRead()
    {
        var delta = type is OfsDelta or RefDelta;
        if (!delta && type is < 1 or > 4)
        {
            stage = Stage.Done;
            return;
        }
        if (size > bounds.MaxObjectBytes)
            throw new PackBoundException(Invariant($"{(delta ? "a delta" : "an object")} declares {size:N0} bytes (the bound is {bounds.MaxObjectBytes:N0})"));
        Add(size);
        deltaHeaderRead = !delta;
        if (type == OfsDelta)
        {
            stage = Stage.BaseOffset;
            distance = -1; // the first byte's value, without git's "+1" of the continuations
        }
        else if (type == RefDelta)
        {
            stage = Stage.BaseId;
            skip = 20;
        }
        else
        {
            depth = 0;
            stage = Stage.Data;
        }
    }

    private void BaseFound(int chain)
    {
        if (chain > PackBounds.MaxDeltaDepth)
            throw new PackBoundException(Invariant($"a chain of more than {PackBounds.MaxDeltaDepth:N0} deltas"));
        depth = chain;
        stage = Stage.Data;
    }

    private int DepthAt(long start)
    {
        var index = deltaStarts.BinarySearch(start);
        return index >= 0 ? deltaDepths[index] : 0;
    }

    private int Data(ReadOnlySpan<byte> data)
    {
        meter ??= new InflateMeter(size, deltaHeaderRead ? 0 : DeltaHeaderBytes);
        int used;
        try
        {
            used = meter.Feed(data);
        }
        catch (PackBoundException e)
        {
            throw new PackBoundException((depth == 0 ? "an object's data " : "a delta's data ") + e.Message);
        }
        catch (InvalidDataException)
        {
            stage = Stage.Done;
            return data.Length;
        }
        if (!deltaHeaderRead && (meter.Output >= DeltaHeaderBytes || meter.Finished))
            DeltaHeader(meter.Head);
        if (meter.Finished)
        {
            if (depth > 0)
            {
                deltaStarts.Add(objectStart);
                deltaDepths.Add((short)depth);
            }
            meter = null;
            stage = --objectsLeft == 0 ? Stage.Done : Stage.ObjectHeader;
        }
        return used;
    }

    // The base's size, then the result's: the result is what the reader allocates.
    private void DeltaHeader(ReadOnlySpan<byte> head)
    {
        deltaHeaderRead = true;
        var position = 0;
        if (!PackDelta.TryReadSize(head, ref position, out var baseSize) || !PackDelta.TryReadSize(head, ref position, out var resultSize))
            return; // a delta shorter than its header: corrupt
        if (baseSize > (ulong)bounds.MaxObjectBytes)
            throw new PackBoundException(Invariant($"a delta declares a base of {baseSize:N0} bytes (the bound is {bounds.MaxObjectBytes:N0})"));
        if (resultSize > (ulong)bounds.MaxObjectBytes)
            throw new PackBoundException(Invariant($"a delta declares a result of {resultSize:N0} bytes (the bound is {bounds.MaxObjectBytes:N0})"));
        Add(resultSize);
    }

    private void Add(long bytes)
    {
        total = bytes > long.MaxValue - total ? long.MaxValue : total + bytes;
        if (total > bounds.MaxTotalBytes)
            throw new PackBoundException(Invariant($"its objects and deltas declare more than {bounds.MaxTotalBytes:N0} bytes in all (the bound)"));
    }

    private void Add(ulong bytes) => Add((long)Math.Min(bytes, (ulong)long.MaxValue / 2));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
