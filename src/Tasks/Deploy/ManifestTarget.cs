using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>A manifest in the config repository and how to edit it.</summary>
/// <remarks>
/// The path is parsed here, once, when the target is made from the user's input (<see cref="ManifestPath"/>, GITOPS007):
/// every later round uses that value.
/// </remarks>
internal sealed record ManifestTarget(ManifestPath Path, ManifestEditOptions Options)
{
    /// <exception cref="Diagnostics.GitOpsException">GITOPS007 when <paramref name="path"/> leaves the repository.</exception>
    public ManifestTarget(string path, ManifestEditOptions options)
        : this(ManifestPath.Parse(path), options)
    {
    }
}
