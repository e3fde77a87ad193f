using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// "Set image X in manifests F" as a function of the config tree, so a retry after a concurrent push
/// re-applies it to the new tip instead of replaying a stale patch. Each round reads each manifest once, and says
/// what it came to (<see cref="DeployVerdict"/>) instead of keeping state for the caller to read back.
/// </summary>
internal sealed class ManifestImageChange(
    IReadOnlyList<ManifestTarget> manifests, ImageReference image, string branchForMessages, string repositoryForMessages,
    DeployOrderGuard? orderGuard = null, IBuildLog? log = null)
    : IConfigChange
{
    /// <summary>Larger files are refused before they are read: a manifest is kilobytes, and the whole file is held in memory.</summary>
    public const int MaxManifestBytes = 16 * 1024 * 1024;

    AppliedChange IConfigChange.Apply(IConfigTree tree) => Apply(tree);

    public IReadOnlyList<TreeRead> Reads => [.. manifests.Select(manifest => ManifestSelection.Read(manifest.Path))];

    public DeployVerdict Apply(IConfigTree tree)
    {
        var originals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var edited = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var replacements = new List<ManifestReplacement>();
        foreach (var manifest in manifests)
        {
            // A directory or glob may also hold other apps' files: only no match in any of them is an error.
            var found = new List<string>();
            var matched = false;
            var selection = ManifestSelection.Expand(tree, manifest.Path, branchForMessages, repositoryForMessages);
            foreach (var file in selection.Files)
            {
                if (file.IsSymbolicLink)
                {
                    // Only a directory or glob lists a link: one named on its own is GITOPS050 (IConfigTree.FindFile).
                    log?.Detail(Messages.SymbolicLinkSkipped(file.Path));
                    continue;
                }

                // Two items naming one file edit the result of the first.
                if (!edited.TryGetValue(file.Path, out var content))
                {
                    content = Read(tree, file);
                    originals[file.Path] = content;
                }

                ManifestEditResult result;
                try
                {
                    result = ManifestEditor.TryEdit(file.Path, content, image, manifest.Options);
                }
                catch (GitOpsException e) when (selection.IsSelection && e.Error == Errors.ManifestMalformed && ManifestSelection.IsGoTemplate(content))
                {
                    // A file named on its own is meant to be edited: only a directory or glob passes over a template.
                    log?.Detail(Messages.TemplateSkipped(file.Path));
                    continue;
                }

                edited[file.Path] = result.Content;
                replacements.AddRange(result.Replacements.Select(r => new ManifestReplacement(file.Path, r)));
                found.AddRange(result.ImagesFound);
                matched |= result.Replacements.Count > 0;
            }
            if (!matched)
                throw new GitOpsException(Errors.NoImageReference, image.Name, manifest.Path,
                    found.Count == 0 ? "none" : Messages.List(found.Distinct().ToList()));
        }

        // The one comparison with the tip: what differs is what the writer commits.
        var files = edited.Where(file => !originals[file.Key].AsSpan().SequenceEqual(file.Value))
            .OrderBy(file => file.Key, StringComparer.Ordinal)
            .Select(file => new ConfigFileChange(file.Key, originals[file.Key], file.Value))
            .ToList();
        var replaced = replacements.Where(r => r.Replacement.OldValue != r.Replacement.NewValue).ToList();
        if (replaced.Count == 0 && files.Count == 0)
            // This image's trailers: a release's tip holds one group per image (GITOPS061 for any of them).
            return new DeployVerdict.AlreadyDeployed(replacements, tree.TipMessage is { } tipMessage ? DeployTrailers.Read(tipMessage).For(image) : null);

        // Checked against every tip the writer retries on, so a later deploy that wins the race is never overwritten.
        if (replaced.Count > 0 && orderGuard?.FindNewerDeployment(image, replaced.Select(r => r.Replacement.OldValue).ToList(), tree.TipMessage) is { } newer)
            return new DeployVerdict.NewerDeployed(newer);

        foreach (var file in replaced.GroupBy(r => r.Path))
            log?.Important(Messages.Edited(file.Key, file.Select(r => r.Replacement.Line), string.Join(", ", file.Select(r => r.Replacement.NewValue).Distinct())));
        return new DeployVerdict.Edited(files, replacements);
    }

    // The size comes from the object's header: a file over the limit is refused without being read.
    private byte[] Read(IConfigTree tree, ConfigTreeFile file)
    {
        if (file.Size > MaxManifestBytes)
            throw new GitOpsException(Errors.ManifestTooLarge, file.Path, file.Size, MaxManifestBytes);
        if (!tree.TryReadFile(file.Path, out var content))
            throw new GitOpsException(Errors.ManifestNotFound, file.Path, branchForMessages, repositoryForMessages);
        return content;
    }
}
