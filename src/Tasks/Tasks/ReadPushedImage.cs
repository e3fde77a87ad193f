using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Reads the reference and digest of the image PublishContainer just pushed.</summary>
public sealed partial class ReadPushedImage : GitOpsTask
{
    protected override void ExecuteCore()
    {
        Image = $"{Registry}/{Repository}:{Tag}";
        Digest = !string.IsNullOrEmpty(GeneratedImageIndex)
            ? IndexDigest(Image, GeneratedImageIndex, GeneratedContainers.Select(c => c.GetMetadata("ManifestDigest").Trim()).Where(d => d.Length > 0).Distinct().ToList())
            : GeneratedContainers.Select(c => c.GetMetadata("ManifestDigest"))
                .Append(GeneratedDigest)
                .FirstOrDefault(d => !string.IsNullOrWhiteSpace(d))?.Trim() ?? "";
        if (Digest.Length == 0) throw new GitOpsException(Errors.DigestMissing, Image);
        BuildLog.Important(string.IsNullOrEmpty(ArchivePath) ? Messages.ImagePushed(Image, Digest, StartedTicks > 0 ? DateTime.UtcNow - new DateTime(StartedTicks, DateTimeKind.Utc) : null) : Messages.ImageArchived(Image, Digest, ArchivePath));
    }

    /// <summary>
    /// The digest of a multi-RID publish: the tag names the image index, not the per-RID images. The registry
    /// addresses a manifest by the SHA-256 of its exact bytes, and $(GeneratedImageIndex) is the index's text as the SDK
    /// uploaded it (UTF-8; the end-to-end test compares with the registry's own bytes). That text must list every
    /// image the SDK pushed: anything else is not the pushed index, and its digest would pin a manifest that does not
    /// exist.
    /// </summary>
    internal static string IndexDigest(string image, string index, IReadOnlyCollection<string> pushedImageDigests)
    {
        var listed = ListedDigests(index);
        if (listed is null) throw new GitOpsException(Errors.ImageIndexMismatch, image, "is not an image index");
        var missing = pushedImageDigests.Where(d => !listed.Contains(d)).ToList();
        if (missing.Count > 0) throw new GitOpsException(Errors.ImageIndexMismatch, image, $"does not list the pushed image(s) {string.Join(", ", missing)}");
        return "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(index))).ToLowerInvariant();
    }

    // The digests of an OCI image index or Docker manifest list, or null when the text is neither.
    private static HashSet<string>? ListedDigests(string index)
    {
        try
        {
            using var document = JsonDocument.Parse(index);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            return manifests.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null)
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
