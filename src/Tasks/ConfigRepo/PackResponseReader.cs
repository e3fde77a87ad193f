using System.Globalization;
using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Finds the pack in a response as it streams to libgit2 (pkt-lines: the shallow list, ACK/NAK, and with side-band the
/// pack in band 1; without side-band, the raw pack after them) and hands its bytes to a <see cref="PackScanner"/>, which
/// checks every object's declared sizes before libgit2's indexer allocates them. Nothing is kept.
/// </summary>
internal sealed class PackResponseReader
{
    private readonly byte[] header = new byte[4];
    private PackScanner? scanner;
    private int headerLength;
    private int payloadLeft;
    private bool payloadStarted;
    private bool sideBandPack;
    private bool raw;
    private bool done;

    /// <summary>The object count the pack declares, once its header has been read.</summary>
    public uint? Count => scanner?.Count;

    /// <summary>Reads what the transport just read.</summary>
    /// <exception cref="PackBoundException">The pack declares more than <paramref name="bounds"/> allow.</exception>
    public void Observe(ReadOnlySpan<byte> data, PackBounds bounds)
    {
        for (var i = 0; i < data.Length && !done;)
        {
            if (raw)
            {
                Pack(data[i..], bounds);
                return;
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
                    Pack(data.Slice(i, take), bounds);
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
                Pack(header, bounds);
                continue;
            }
            if (!int.TryParse(header, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length))
            {
                done = true; // not git's framing: libgit2 reports what is wrong with it
                return;
            }
            if (length > header.Length)
            {
                payloadLeft = length - header.Length;
                payloadStarted = false;
            }
        }
    }

    private void Pack(ReadOnlySpan<byte> bytes, PackBounds bounds)
    {
        scanner ??= new PackScanner(bounds);
        scanner.Feed(bytes);
        done = scanner.Done;
    }
}
