using GitOps.Build.ConfigRepo;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>An image value a manifest edit found, in the file it is in.</summary>
internal sealed record ManifestReplacement(string Path, ImageReplacement Replacement);

/// <summary>
/// What deploying the image to one config tip came to, as <see cref="ManifestImageChange.Apply"/> returns it and the
/// writer carries it into its result: the manifests were edited, or they already deploy the image, or the deploy
/// is refused because the tip deploys a later build. Only the first has files to commit.
/// </summary>
internal abstract record DeployVerdict : AppliedChange
{
    private DeployVerdict(IReadOnlyList<ConfigFileChange> files)
        : base(files)
    {
    }

    /// <summary>The manifests were edited: the changed files, and every image value found (changed or not).</summary>
    public sealed record Edited(IReadOnlyList<ConfigFileChange> Files, IReadOnlyList<ManifestReplacement> Replacements) : DeployVerdict(Files);

    /// <summary>
    /// Every reference already names the image. The tip may be this image's own deploy commit (a re-run): its
    /// <paramref name="TipTrailers"/> (this image's group of them; null when unknown) record the digest deployed then.
    /// </summary>
    public sealed record AlreadyDeployed(IReadOnlyList<ManifestReplacement> Replacements, IReadOnlyDictionary<string, string>? TipTrailers)
        : DeployVerdict([]);

    /// <summary>Refused: the tip deploys an image built from a later commit (GITOPS060), and downgrades are not allowed.</summary>
    public sealed record NewerDeployed(NewerDeployment Newer) : DeployVerdict([]);
}
