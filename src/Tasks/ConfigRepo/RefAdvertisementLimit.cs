using System.Globalization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Bounds a ref advertisement (the list of refs a server sends first, for a clone, fetch, push or listing) as the
/// transport reads it, before libgit2 holds it in memory: libgit2 keeps reading an advertisement that never ends until
/// memory runs out. The pkt-lines are counted up to the flush that ends the list; what follows (negotiation, the pack)
/// is not the advertisement's.
/// </summary>
/// <param name="displayUrl">The repository as messages show it.</param>
/// <param name="flushes">The flush-pkts that end it: 1 over SSH, 2 over smart HTTP (after "# service=…", then after the refs).</param>
internal sealed class RefAdvertisementLimit(string displayUrl, int flushes)
{
    /// <summary>Far more than a config repository has (the hostile probe's 100,000 refs pass), far less than memory.</summary>
    public const int MaxRefs = 500_000;

    /// <summary>With <see cref="MaxRefs"/> refs of ~100 bytes: a bound on the bytes libgit2 holds for the list.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly byte[] header = new byte[4];
    private int headerLength;
    private int payloadLeft;
    private int flushesLeft = flushes;
    private long bytes;
    private int lines;

    /// <summary>True once the list has ended (or the stream is not made of pkt-lines, which libgit2 reports itself).</summary>
    public bool Ended => flushesLeft <= 0;

    /// <summary>Counts what the transport just read.</summary>
    /// <exception cref="GitOpsException">GITOPS115 once the list is longer than the bounds.</exception>
    public void Observe(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length && !Ended;)
        {
            if (payloadLeft > 0)
            {
                var take = Math.Min(payloadLeft, data.Length - i);
                payloadLeft -= take;
                bytes += take;
                i += take;
                continue;
            }

            header[headerLength++] = data[i++];
            bytes++;
            if (headerLength < header.Length)
                continue;
            headerLength = 0;
            if (!int.TryParse(header, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length))
            {
                flushesLeft = 0; // not a pkt-line: libgit2 says what is wrong with it
                return;
            }
            if (length == 0)
                flushesLeft--;
            else if (length > header.Length)
            {
                lines++;
                payloadLeft = length - header.Length;
            }
        }

        if (lines > MaxRefs)
            throw new GitOpsException(Errors.ConfigRefAdvertisementTooLarge, displayUrl, MaxRefs.ToString("N0", CultureInfo.InvariantCulture) + " refs");
        if (bytes > MaxBytes)
            throw new GitOpsException(Errors.ConfigRefAdvertisementTooLarge, displayUrl, (MaxBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB");
    }
}
