namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>git's delta format: the base's and the result's sizes, then copy (from the base) and insert instructions.</summary>
internal static class PackDelta
{
    public static byte[] Apply(byte[] source, ReadOnlySpan<byte> delta, long maxResultBytes)
    {
        var position = 0;
        var baseSize = ReadSize(delta, ref position);
        var resultSize = ReadSize(delta, ref position);
        if (baseSize != source.Length)
            throw new WireFormatException("a delta against a base of another size");
        if (resultSize > maxResultBytes)
            throw new WireFormatException($"a delta result larger than {maxResultBytes} bytes");
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

    private static long ReadSize(ReadOnlySpan<byte> delta, ref int position)
    {
        long size = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 56) throw new WireFormatException("a delta size too large");
            var b = Byte(delta, ref position);
            size |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return size;
        }
    }

    private static byte Byte(ReadOnlySpan<byte> delta, ref int position) =>
        position < delta.Length ? delta[position++] : throw new WireFormatException("a truncated delta");
}
