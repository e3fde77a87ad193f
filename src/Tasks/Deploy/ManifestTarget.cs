using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>A manifest in the config repository and how to edit it.</summary>
/// <remarks>
/// The path is checked and normalized here, once, when the target is made from the user's input (<see cref="ConfigPath"/>,
/// GITOPS007): every later round uses the repository-relative form.
/// </remarks>
internal sealed record ManifestTarget(string Path, ManifestEditOptions Options)
{
    public string Path { get; } = ConfigPath.Normalize(Path);
}
