using GitOps.Build.Diagnostics;
using GitOps.Build.Git;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// "Set image X in manifests F" as a function of the config tree, so a retry after a concurrent push
/// re-applies it to the new tip instead of replaying a stale patch.
/// </summary>
public sealed class ManifestImageChange(
    IReadOnlyList<ManifestTarget> manifests, ImageReference image, string branchForMessages, string repositoryForMessages,
    DeployOrderGuard? orderGuard = null)
    : IConfigChange
{
    /// <summary>Larger files are refused before parsing: a manifest is kilobytes, and the whole file is held in memory.</summary>
    public const int MaxManifestBytes = 16 * 1024 * 1024;

    /// <summary>What the last <see cref="Apply"/> found, per file, for the log.</summary>
    public IReadOnlyList<(string Path, ImageReplacement Replacement)> Replacements { get; private set; } = [];

    /// <summary>Set when the last <see cref="Apply"/> changed nothing because the tip deploys a later commit.</summary>
    public NewerDeployment? NewerDeployed { get; private set; }

    public IReadOnlyDictionary<string, byte[]> Apply(IConfigTree tree)
    {
        var changes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var replacements = new List<(string, ImageReplacement)>();
        foreach (var manifest in manifests)
        {
            var path = ConfigPath.Normalize(manifest.Path);
            // Two items naming one file edit the result of the first.
            if (!changes.TryGetValue(path, out var content) && !tree.TryReadFile(path, out content))
                throw new GitOpsException(Errors.ManifestNotFound, path, branchForMessages, repositoryForMessages);

            if (content.Length > MaxManifestBytes)
                throw new GitOpsException(Errors.ManifestTooLarge, path, content.Length, MaxManifestBytes);

            var result = ManifestEditor.Edit(path, content, image, manifest.Options);
            replacements.AddRange(result.Replacements.Select(r => (path, r)));
            if (result.Changed) changes[path] = result.Content;
        }
        Replacements = replacements;
        // Checked against every tip the writer retries on, so a later deploy that wins the race is never overwritten.
        var replaced = replacements.Select(r => r.Item2).Where(r => r.OldValue != r.NewValue).Select(r => r.OldValue).ToList();
        NewerDeployed = orderGuard is null || replaced.Count == 0 ? null : orderGuard.FindNewerDeployment(image, replaced, tree.TipMessage);
        return NewerDeployed is null ? changes : new Dictionary<string, byte[]>();
    }
}
