using GitOps.Build.ConfigRepo;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>What an environment runs on its branch, read from the config repository: the image, and the deploy commit that put it there.</summary>
/// <remarks>
/// TipSha: the branch tip the manifests were read from. DeployCommit: the latest commit among the last
/// <see cref="ConfigRepositoryReader.HistoryDepth"/> that changed the image's files and whose GitOps-Image trailer names
/// this image; null when there is none (written by hand, or older).
/// </remarks>
internal sealed record EnvironmentState(string Environment, string Branch, string TipSha, EnvironmentImage Deployed, ConfigCommitInfo? DeployCommit)
{
    /// <summary>The deploy commit's trailers for this image (a release's commit holds a group per image); empty without one.</summary>
    public IReadOnlyDictionary<string, string> Trailers { get; } =
        (DeployCommit is null ? null : DeployTrailers.Read(DeployCommit.Message).For(Deployed.Image)) ?? new Dictionary<string, string>();

    public string? Trailer(string key) => Trailers.TryGetValue(key, out var value) ? value : null;
}

/// <summary>
/// Reads <see cref="EnvironmentState"/> from a branch read with some history: a clone (<see cref="ConfigRepositoryReader"/>),
/// or the forge's API (GitOpsCommitMethod=api).
/// </summary>
internal static class EnvironmentReader
{
    public static EnvironmentState Read(IConfigSnapshot clone, string environment, IReadOnlyList<ManifestTarget> manifests, ImageReference name,
        string repositoryForMessages)
    {
        var deployed = DeployedImageReader.Read(clone.Tree, environment, manifests, name, clone.Branch, repositoryForMessages);
        var commit = clone.FindLastChange(deployed.Files, message => IsDeployOf(message, deployed.Image), ConfigRepositoryReader.HistoryDepth);
        return new EnvironmentState(environment, clone.Branch, clone.TipSha, deployed, commit);
    }

    /// <summary>
    /// Whether a commit's trailers record a deploy of exactly this image: same repository, same tag (or, for an image
    /// deployed by digest alone, same digest). A commit for another image (another app, a reverted deploy) is passed over;
    /// a release's commit is read image by image.
    /// </summary>
    internal static bool? IsDeployOf(string message, ImageReference image)
    {
        if (DeployTrailers.Read(message).For(image) is not { } trailers
            || !trailers.TryGetValue(CommitMessage.ImageTrailer, out var recorded) || !ImageReference.TryParse(recorded, out var reference)
            || !reference.HasSameRepository(image))
            return false;
        if (image.Tag is not null)
            return reference.Tag == image.Tag;
        var digest = reference.Digest ?? trailers.GetValueOrDefault(CommitMessage.ImageDigestTrailer);
        return digest is not null && string.Equals(digest, image.Digest, StringComparison.OrdinalIgnoreCase);
    }
}
