namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>git's delta format: the base's and the result's sizes, then copy (from the base) and insert instructions.</summary>
internal static class PackDelta
{
    /// <summary>The result's size, as the delta declares it (its reader checks it against its bounds before <see cref="Apply"/>).</summary>
    public static ulong ResultSize(ReadOnlySpan<byte> delta)
    {
        var position = 0;
        return TryReadSize(delta, ref position, out _) && TryReadSize(delta, ref position, out var size)
            ? size
            : throw new WireFormatException("a truncated delta");
    }

    /// <summary>The result of <paramref name="delta"/> on <paramref name="source"/>: exactly as large as the delta declares.</summary>
    public static byte[] Apply(byte[] source, ReadOnlySpan<byte> delta)
    {
        var position = 0;
        if (!TryReadSize(delta, ref position, out var baseSize) || !TryReadSize(delta, ref position, out var resultSize))
            throw new WireFormatException("a truncated delta");
        if (baseSize != (ulong)source.Length)
            throw new WireFormatException("a delta against a base of another size");
        if (resultSize > (ulong)Array.MaxLength)
            throw new WireFormatException("a delta result larger than an array");
        var result = new byte[resultSize];
        var written = 0;
        while (position < delta.Length)
        {
            var op = delta[position++];
            if ((op & 0x80) != 0)
            {
                long offset = 0, length = 0;
                for (var i = 0; i < 4; i++)
                    if ((op & (1 << i)) != 0) offset |= (long)Byte(delta, ref position) << (8 * i);
                for (var i = 0; i < 3; i++)
                    if ((op & (0x10 << i)) != 0) length |= (long)Byte(delta, ref position) << (8 * i);
                if (length == 0) length = 0x10000;
                if (offset + length > source.Length || written + length > result.Length)
                    throw new WireFormatException("a delta copy out of bounds");
                source.AsSpan((int)offset, (int)length).CopyTo(result.AsSpan(written));
                written += (int)length;
            }
            else if (op != 0)
            {
                if (position + op > delta.Length || written + op > result.Length)
                    throw new WireFormatException("a delta insert out of bounds");
                delta.Slice(position, op).CopyTo(result.AsSpan(written));
                position += op;
                written += op;
            }
            else
                throw new WireFormatException("a delta with the reserved instruction 0");
        }
        if (written != result.Length)
            throw new WireFormatException("a delta shorter than its result size");
        return result;
    }

    /// <summary>
    /// A delta that makes <paramref name="target"/> of <paramref name="source"/>: what both start and end with is
    /// copied, the middle inserted. An edit changes one entry of a tree or a few bytes of a manifest, so this is the
    /// whole difference at a fraction of the object's size.
    /// </summary>
    public static byte[] Create(ReadOnlySpan<byte> source, ReadOnlySpan<byte> target)
    {
        var prefix = source.CommonPrefixLength(target);
        var suffix = 0;
        var most = Math.Min(source.Length, target.Length) - prefix;
        while (suffix < most && source[^(suffix + 1)] == target[^(suffix + 1)])
            suffix++;
        using var delta = new MemoryStream();
        WriteSize(delta, source.Length);
        WriteSize(delta, target.Length);
        WriteCopies(delta, 0, prefix);
        for (var at = prefix; at < target.Length - suffix; at += 127)
        {
            var length = Math.Min(127, target.Length - suffix - at);
            delta.WriteByte((byte)length);
            delta.Write(target.Slice(at, length));
        }
        WriteCopies(delta, source.Length - suffix, suffix);
        return delta.ToArray();
    }

    // Copies of at most 0xFFFFFF bytes each (three size bytes); a byte that is zero is left out, and its flag with it.
    private static void WriteCopies(Stream delta, long offset, long length)
    {
        while (length > 0)
        {
            var chunk = Math.Min(length, 0xFFFFFF);
            var op = 0x80;
            var operands = new List<byte>();
            for (var i = 0; i < 4; i++)
                if (((offset >> (8 * i)) & 0xff) is var b and not 0) { op |= 1 << i; operands.Add((byte)b); }
            for (var i = 0; i < 3; i++)
                if (((chunk >> (8 * i)) & 0xff) is var b and not 0) { op |= 0x10 << i; operands.Add((byte)b); }
            delta.WriteByte((byte)op);
            delta.Write(operands.ToArray());
            offset += chunk;
            length -= chunk;
        }
    }

    private static void WriteSize(Stream delta, long size)
    {
        do
        {
            var b = (byte)(size & 0x7f);
            size >>= 7;
            delta.WriteByte(size != 0 ? (byte)(b | 0x80) : b);
        }
        while (size != 0);
    }

    /// <summary>One of the two sizes a delta starts with: base-128, least significant group first; past 2^63, as good as infinite.</summary>
    /// <returns>False when the delta ends inside it.</returns>
    public static bool TryReadSize(ReadOnlySpan<byte> delta, ref int position, out ulong size)
    {
        size = 0;
        for (var shift = 0; position < delta.Length; shift += 7)
        {
            var b = delta[position++];
            size = shift > 56 ? ulong.MaxValue : size | ((ulong)(b & 0x7f) << shift);
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private static byte Byte(ReadOnlySpan<byte> delta, ref int position) =>
        position < delta.Length ? delta[position++] : throw new WireFormatException("a truncated delta");
}
