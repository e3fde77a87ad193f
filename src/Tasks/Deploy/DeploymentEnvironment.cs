using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// A place the app runs: a GitOpsEnvironment item. Its ManifestPath (one or several, ';'-separated: a file, directory
/// or glob) and the GitOpsManifest metadata say what to edit, Branch (optional) on which branch of the config repository.
/// </summary>
internal sealed record DeploymentEnvironment(string Name, IReadOnlyList<ManifestTarget> Manifests, string? Branch)
{
    public const string ManifestPathMetadata = "ManifestPath";
    public const string BranchMetadata = "Branch";

    /// <summary>The paths an item's ManifestPath names; GITOPS053 when there is none.</summary>
    public static IReadOnlyList<string> ManifestPaths(string name, string? manifestPath)
    {
        var paths = (manifestPath ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return paths.Length > 0 ? paths : throw new GitOpsException(Errors.EnvironmentManifestPathMissing, name);
    }

    /// <summary>An environment from its item: name, metadata (empty or null when unset) and the shared reference format.</summary>
    public static DeploymentEnvironment Read(string name, Func<string, string?> metadata, ImageReferenceFormat referenceFormat) =>
        new(name.Trim(),
            ManifestPaths(name, metadata(ManifestPathMetadata)).Select(path => ManifestOptionsReader.Read(path, metadata, referenceFormat)).ToList(),
            string.IsNullOrWhiteSpace(metadata(BranchMetadata)) ? null : metadata(BranchMetadata)!.Trim());

    /// <summary>The environment named <paramref name="name"/> (case-insensitive); GITOPS052 naming <paramref name="property"/> and the known ones.</summary>
    public static T Find<T>(IReadOnlyList<T> environments, Func<T, string> nameOf, string name, string property) =>
        environments.FirstOrDefault(e => string.Equals(nameOf(e), name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new GitOpsException(Errors.EnvironmentUnknown, property, name.Trim(),
            environments.Count == 0 ? "none (no GitOpsEnvironment item is defined)" : string.Join(", ", environments.Select(nameOf)));
}
