using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// "Set image X in manifests F" as a function of the config tree, so a retry after a concurrent push
/// re-applies it to the new tip instead of replaying a stale patch.
/// </summary>
public sealed class ManifestImageChange(
    IReadOnlyList<ManifestTarget> manifests, ImageReference image, string branchForMessages, string repositoryForMessages,
    DeployOrderGuard? orderGuard = null, IBuildLog? log = null)
    : IConfigChange
{
    /// <summary>Larger files are refused before parsing: a manifest is kilobytes, and the whole file is held in memory.</summary>
    public const int MaxManifestBytes = 16 * 1024 * 1024;

    /// <summary>What the last <see cref="Apply"/> found, per file, for the log.</summary>
    public IReadOnlyList<(string Path, ImageReplacement Replacement)> Replacements { get; private set; } = [];

    /// <summary>Set when the last <see cref="Apply"/> changed nothing because the tip deploys a later commit.</summary>
    public NewerDeployment? NewerDeployed { get; private set; }

    /// <summary>
    /// The tip's trailers when the last <see cref="Apply"/> found every reference already at the image: the tip may be
    /// this image's own deploy commit (a re-run), whose recorded digest the caller compares with the one just pushed.
    /// </summary>
    public IReadOnlyDictionary<string, string>? UnchangedTipTrailers { get; private set; }

    public IReadOnlyDictionary<string, byte[]> Apply(IConfigTree tree)
    {
        var originals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var edited = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var replacements = new List<(string, ImageReplacement)>();
        foreach (var manifest in manifests)
        {
            var path = ConfigPath.Normalize(manifest.Path);
            // A directory or glob may also hold other apps' files: only no match in any of them is an error.
            var found = new List<string>();
            var matched = false;
            var selected = ManifestSelection.Expand(tree, path, branchForMessages, repositoryForMessages);
            foreach (var file in selected ?? [path])
            {
                // Two items naming one file edit the result of the first.
                if (!edited.TryGetValue(file, out var content))
                {
                    if (!tree.TryReadFile(file, out content))
                        throw new GitOpsException(Errors.ManifestNotFound, file, branchForMessages, repositoryForMessages);
                    originals[file] = content;
                }

                if (content.Length > MaxManifestBytes)
                    throw new GitOpsException(Errors.ManifestTooLarge, file, content.Length, MaxManifestBytes);

                ManifestEditResult result;
                try
                {
                    result = ManifestEditor.TryEdit(file, content, image, manifest.Options);
                }
                catch (GitOpsException e) when (selected is not null && e.Error == Errors.ManifestMalformed && ManifestSelection.IsGoTemplate(content))
                {
                    // A file named on its own is meant to be edited: only a directory or glob passes over a template.
                    log?.Detail(Messages.TemplateSkipped(file));
                    continue;
                }

                edited[file] = result.Content;
                replacements.AddRange(result.Replacements.Select(r => (file, r)));
                found.AddRange(result.ImagesFound);
                matched |= result.Replacements.Count > 0;
            }
            if (!matched)
                throw new GitOpsException(Errors.NoImageReference, image.Name, path,
                    found.Count == 0 ? "none" : string.Join(", ", found.Distinct()));
        }
        Replacements = replacements;
        var replaced = replacements.Where(r => r.Item2.OldValue != r.Item2.NewValue).ToList();
        UnchangedTipTrailers = replaced.Count == 0 && tree.TipMessage is { } tipMessage ? CommitMessage.ReadTrailers(tipMessage) : null;
        // Checked against every tip the writer retries on, so a later deploy that wins the race is never overwritten.
        NewerDeployed = orderGuard is null || replaced.Count == 0
            ? null
            : orderGuard.FindNewerDeployment(image, replaced.Select(r => r.Item2.OldValue).ToList(), tree.TipMessage);
        if (NewerDeployed is not null) return new Dictionary<string, byte[]>();

        foreach (var file in replaced.GroupBy(r => r.Item1))
            log?.Important(Messages.Edited(file.Key, file.Select(r => r.Item2.Line), string.Join(", ", file.Select(r => r.Item2.NewValue).Distinct())));
        return edited.Where(file => !originals[file.Key].AsSpan().SequenceEqual(file.Value))
            .ToDictionary(file => file.Key, file => file.Value, StringComparer.Ordinal);
    }
}
