using System.IO.Compression;
using System.Security.Cryptography;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// Reads a whole pack (version 2 or 3) into its objects, resolving OFS_DELTA and REF_DELTA entries against objects of
/// the same pack (a fetch that does not ask for a thin pack gets no others). Bounded: the pack is already in memory
/// (the transport capped its size) and the caller's maximum caps what it inflates to.
/// </summary>
internal static class PackReader
{
    private const int OfsDelta = 6;
    private const int RefDelta = 7;

    public static IReadOnlyList<WireObject> Read(ReadOnlySpan<byte> pack, long maxInflatedBytes)
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

        var inflated = 0L;
        var byOffset = new Dictionary<long, WireObject>();
        var byId = new Dictionary<string, WireObject>();
        var pending = new List<(long Offset, string? BaseId, long BaseOffset, byte[] Delta)>();
        var position = 12;
        for (var i = 0; i < count; i++)
        {
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

            inflated += size;
            if (inflated > maxInflatedBytes)
                throw new WireFormatException($"the pack inflates to more than {maxInflatedBytes} bytes");
            var data = Inflate(body, ref position, size);
            if (type is OfsDelta or RefDelta)
                pending.Add((start, baseId, baseOffset, data));
            else
            {
                var item = new WireObject((GitObjectType)type, data);
                byOffset[start] = item;
                byId.TryAdd(item.Id, item);
            }
        }
        if (position != body.Length)
            throw new WireFormatException("bytes left after the pack's last object");

        // Deltas may name bases that are deltas themselves: resolve until nothing more can be.
        while (pending.Count > 0)
        {
            var resolved = 0;
            for (var i = 0; i < pending.Count; i++)
            {
                var (offset, baseId, baseOffset, delta) = pending[i];
                var found = baseId is null ? byOffset.GetValueOrDefault(baseOffset) : byId.GetValueOrDefault(baseId);
                if (found is null) continue;
                var result = PackDelta.Apply(found.Content, delta, maxInflatedBytes - inflated);
                inflated += result.Length;
                var item = new WireObject(found.Type, result);
                byOffset[offset] = item;
                byId.TryAdd(item.Id, item);
                pending.RemoveAt(i--);
                resolved++;
            }
            if (resolved == 0)
                throw new WireFormatException($"{pending.Count} deltas against objects not in the pack");
        }
        return byOffset.OrderBy(pair => pair.Key).Select(pair => pair.Value).ToList();
    }

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
    /// Inflates one object's zlib stream and moves past exactly its bytes. .NET does not say how many compressed bytes an
    /// inflater consumed, so it is fed one byte at a time: it stops reading where the stream's Adler-32 ends.
    /// </summary>
    private static byte[] Inflate(ReadOnlySpan<byte> body, ref int position, long size)
    {
        var output = new byte[size];
        var source = new OneByteStream(body[position..].ToArray());
        using (var zlib = new ZLibStream(source, CompressionMode.Decompress))
        {
            try
            {
                zlib.ReadExactly(output);
                // The stream must end exactly here: one more read consumes the checksum and finds nothing.
                if (zlib.ReadByte() != -1)
                    throw new WireFormatException("an object larger than its header says");
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new WireFormatException($"a corrupt object ({e.Message})");
            }
        }
        position += source.Consumed;
        return output;
    }

    /// <summary>Hands out one byte per read, so that what the inflater consumed is what was read.</summary>
    private sealed class OneByteStream(byte[] data) : Stream
    {
        public int Consumed { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0 || Consumed >= data.Length) return 0;
            buffer[offset] = data[Consumed++];
            return 1;
        }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty || Consumed >= data.Length) return 0;
            buffer[0] = data[Consumed++];
            return 1;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => Consumed; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
