using System.Security.Cryptography;
using System.Text;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Reads the reference and digest of the image PublishContainer just pushed.</summary>
public sealed class ReadPushedImage : GitOpsTask
{
    [Required] public string Registry { get; set; } = "";

    [Required] public string Repository { get; set; } = "";

    [Required] public string Tag { get; set; } = "";

    /// <summary>@(GeneratedContainer): the SDK lists each image twice, with ManifestDigest metadata.</summary>
    public ITaskItem[] GeneratedContainers { get; set; } = [];

    /// <summary>$(GeneratedContainerDigest), in case the items carry none.</summary>
    public string? GeneratedDigest { get; set; }

    /// <summary>$(GeneratedImageIndex): set by a multi-RID publish, whose tag names this index, not the per-RID images.</summary>
    public string? GeneratedImageIndex { get; set; }

    /// <summary>$(GeneratedArchiveOutputPath): set when the image went to a tarball (dry run) instead of the registry.</summary>
    public string? ArchivePath { get; set; }

    /// <summary>UTC ticks when PublishContainer started, for the duration shown.</summary>
    public long StartedTicks { get; set; }

    [Output] public string Image { get; private set; } = "";

    [Output] public string Digest { get; private set; } = "";

    protected override void ExecuteCore()
    {
        Image = $"{Registry}/{Repository}:{Tag}";
        Digest = !string.IsNullOrEmpty(GeneratedImageIndex) ? DigestOf(GeneratedImageIndex) : GeneratedContainers.Select(c => c.GetMetadata("ManifestDigest"))
            .Append(GeneratedDigest)
            .FirstOrDefault(d => !string.IsNullOrWhiteSpace(d))?.Trim() ?? "";
        if (Digest.Length == 0) throw new GitOpsException(Errors.DigestMissing, Image);
        BuildLog.Important(string.IsNullOrEmpty(ArchivePath) ? Messages.ImagePushed(Image, Digest, StartedTicks > 0 ? DateTime.UtcNow - new DateTime(StartedTicks, DateTimeKind.Utc) : null) : Messages.ImageArchived(Image, Digest, ArchivePath));
    }

    // The registry addresses a manifest by the SHA-256 of the exact bytes the SDK uploaded.
    private static string DigestOf(string manifest) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(manifest))).ToLowerInvariant();
}
