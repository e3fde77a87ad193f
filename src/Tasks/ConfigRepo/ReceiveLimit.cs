using System.Globalization;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Bounds what one libgit2 network call (clone, fetch, push) receives after the refs, as the transport reads it: the bytes, and the
/// objects the pack says it holds. libgit2 writes a pack to disk as it arrives and keeps an index entry per object in
/// memory, so a server that sends a pack without end (or one declaring millions of tiny objects) fills the disk or
/// memory long before GitOpsConfigTimeout ends it. Stopped here, the call fails with GITOPS118 and the clone's
/// temporary directory is deleted with what it holds.
/// </summary>
/// <remarks>
/// Why these bounds, and no property: the writer clones one commit (depth 1) and the readers 200, of a repository of
/// YAML. <see cref="CloneMaxBytes"/> is far above any such clone (a tip of 100,000 manifests of 10 KB packs to well under
/// 1 GiB, and GitHub itself warns at 1 GB per repository) and still a bound a CI runner's disk takes.
/// <see cref="MaxObjects"/> keeps libgit2's index (~100 bytes an object) near 100 MB: ten times the files of the Linux
/// kernel's tip. A fetch into a clone (after a lost push race) brings the commits another pipeline pushed meanwhile:
/// <see cref="ForFetchInto"/> bounds it by the clone's own size, since past that a fresh clone (which the writer then
/// makes) costs less. What the pack's objects declare they inflate to is bounded by the same bytes
/// (<see cref="PackBounds"/>): a small pack can claim gigabytes ("delta bomb"), which libgit2 would allocate.
/// </remarks>
internal sealed class ReceiveLimit
{
    public const long CloneMaxBytes = 1L << 30;

    public const int MaxObjects = 1_000_000;

    /// <summary>The least a fetch into a clone may receive, whatever the clone's size: several deploy commits.</summary>
    public const long FetchMinBytes = 4L << 20;

    private readonly string displayUrl;
    private readonly long maxBytes;
    private readonly PackBounds packBounds;
    private long received;

    public ReceiveLimit(string displayUrl, long maxBytes)
    {
        this.displayUrl = displayUrl;
        this.maxBytes = maxBytes;
        packBounds = PackBounds.For(maxBytes, MaxObjects);
    }

    /// <summary>The bound of a fetch into a clone whose git directory is <paramref name="gitDirectory"/>: its objects' size, at least <see cref="FetchMinBytes"/>.</summary>
    public static long ForFetchInto(string gitDirectory, long cloneMaxBytes)
    {
        var objects = new DirectoryInfo(Path.Combine(gitDirectory, "objects"));
        var size = objects.Exists
            ? objects.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Sum(file => file.Length)
            : 0;
        return Math.Min(cloneMaxBytes, Math.Max(FetchMinBytes, size));
    }

    /// <summary>
    /// Counts what the transport just read from one response of the call after the ref advertisement (which
    /// RefAdvertisementLimit bounds): an upload-pack or receive-pack result, whose pack <paramref name="response"/>
    /// looks for and checks object by object. <paramref name="countBytes"/>: false for a read of the advertisement (over
    /// SSH, the read that ends it may hold more, at most 64 KiB), whose pack is still looked for.
    /// </summary>
    /// <exception cref="GitOpsException">GITOPS118 past the bounds; GITOPS103 for a pack that declares more than
    /// <see cref="PackBounds"/> allow (objects, deltas and their results no larger than the bytes the call may receive).</exception>
    public void Observe(ReadOnlySpan<byte> data, PackResponseReader response, bool countBytes = true)
    {
        if (countBytes)
            received += data.Length;
        if (received > maxBytes)
            throw new GitOpsException(Errors.ConfigTransferTooLarge, displayUrl, Size(maxBytes));
        try
        {
            response.Observe(data, packBounds);
        }
        catch (PackBoundException e) when (e.ObjectCount)
        {
            throw new GitOpsException(Errors.ConfigTransferTooLarge, displayUrl, e.Message);
        }
        catch (PackBoundException e)
        {
            throw new GitOpsException(Errors.ConfigPackInflatesTooFar, displayUrl, e.Message, Size(maxBytes));
        }
    }

    /// <summary>A bound in words: "2 MiB", "1 GiB".</summary>
    public static string Size(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}
