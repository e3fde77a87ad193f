using System.Buffers.Binary;
using System.Globalization;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Finds the pack's header in a response: pkt-lines (the shallow list, ACK/NAK, and with side-band the pack in band 1)
/// or, without side-band, the raw pack after them. Yields the object count once, then stops looking.
/// </summary>
internal sealed class PackHeaderReader
{
    private readonly byte[] header = new byte[4];
    private readonly byte[] packHeader = new byte[12];
    private int headerLength;
    private int payloadLeft;
    private bool payloadStarted;
    private bool sideBandPack;
    private bool raw;
    private int packLength;
    private bool done;

    /// <returns>The object count the pack declares, once it has been read; otherwise null.</returns>
    public uint? Observe(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length && !done;)
        {
            if (raw)
            {
                if (Pack(data[i++]) is { } count) return count;
                continue;
            }
            if (payloadLeft > 0)
            {
                if (!payloadStarted)
                {
                    payloadStarted = true;
                    sideBandPack = data[i] == 1;
                    i++;
                    payloadLeft--;
                    continue;
                }
                var take = Math.Min(payloadLeft, data.Length - i);
                if (sideBandPack)
                {
                    for (var j = 0; j < take && !done; j++)
                    {
                        if (Pack(data[i + j]) is { } count) return count;
                    }
                }
                payloadLeft -= take;
                i += take;
                continue;
            }

            header[headerLength++] = data[i++];
            if (headerLength < header.Length)
                continue;
            headerLength = 0;
            if (header.AsSpan().SequenceEqual("PACK"u8))
            {
                // No side-band: the raw pack follows the pkt-lines.
                raw = true;
                foreach (var b in header)
                    Pack(b);
                continue;
            }
            if (!int.TryParse(header, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length))
            {
                done = true; // not git's framing: libgit2 reports what is wrong with it
                return null;
            }
            if (length > header.Length)
            {
                payloadLeft = length - header.Length;
                payloadStarted = false;
            }
        }
        return null;
    }

    // "PACK", a version, the object count (big-endian).
    private uint? Pack(byte b)
    {
        packHeader[packLength++] = b;
        if (packLength < packHeader.Length)
            return null;
        done = true;
        return packHeader.AsSpan(0, 4).SequenceEqual("PACK"u8) ? BinaryPrimitives.ReadUInt32BigEndian(packHeader.AsSpan(8)) : null;
    }
}
