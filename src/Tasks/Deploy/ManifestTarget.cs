using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>A manifest in the config repository (path relative to its root) and how to edit it.</summary>
public sealed record ManifestTarget(string Path, ManifestEditOptions Options);
