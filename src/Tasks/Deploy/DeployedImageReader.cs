using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>The image an environment runs, as its manifests write it, and the files that write it.</summary>
internal sealed record EnvironmentImage(ImageReference Image, IReadOnlyList<string> Files);

/// <summary>
/// Reads which image of a repository an environment's manifests deploy, with the same format readers a deploy edits
/// with (so every format and metadata a deploy understands is read the same way). Each file is edited in memory to a
/// probe image whose tag and digest cannot occur in a manifest; the values each matched scalar held before are the
/// deployed tag, digest or whole reference. Nothing is written.
/// </summary>
internal static class DeployedImageReader
{
    private const string ProbeTag = "gitops-build-probe-tag";
    private static readonly string ProbeDigest = "sha256:" + new string('0', 64);

    /// <remarks>name: the repository to look for ([registry/]repository; a tag or digest is ignored).</remarks>
    /// <exception cref="GitOpsException">GITOPS054 when no manifest names the repository, GITOPS055 when they disagree.</exception>
    public static EnvironmentImage Read(IConfigTree tree, string environment, IReadOnlyList<ManifestTarget> manifests, ImageReference name,
        string branch, string repositoryForMessages)
    {
        var probe = new ImageReference(name.Registry, name.Repository, ProbeTag, ProbeDigest);
        var tags = new List<(string Value, string File)>();
        var digests = new List<(string Value, string File)>();
        var found = new List<string>();
        var files = new List<string>();
        foreach (var manifest in manifests)
        {
            var selection = ManifestSelection.Expand(tree, manifest.Path, branch, repositoryForMessages);
            foreach (var file in selection.Files.Where(file => !file.IsSymbolicLink))
            {
                if (file.Size > ManifestImageChange.MaxManifestBytes)
                    throw new GitOpsException(Errors.ManifestTooLarge, file.Path, file.Size, ManifestImageChange.MaxManifestBytes);
                if (!tree.TryReadFile(file.Path, out var content))
                    throw new GitOpsException(Errors.ManifestNotFound, file.Path, branch, repositoryForMessages);

                ManifestEditResult result;
                try
                {
                    result = Probe(file.Path, content, probe, manifest.Options);
                }
                catch (GitOpsException e) when (selection.IsSelection && e.Error == Errors.ManifestMalformed && ManifestSelection.IsGoTemplate(content))
                {
                    continue;
                }

                found.AddRange(result.ImagesFound);
                var matched = false;
                foreach (var replacement in result.Replacements.Where(r => r.OldValue.Length > 0))
                {
                    matched = true;
                    if (replacement.NewValue == ProbeTag)
                        tags.Add((replacement.OldValue, file.Path));
                    else if (replacement.NewValue == ProbeDigest)
                        digests.Add((replacement.OldValue, file.Path));
                    else if (ImageReference.TryParse(replacement.OldValue, out var whole))
                    {
                        if (whole.Tag is { } tag) tags.Add((tag, file.Path));
                        if (whole.Digest is { } digest) digests.Add((digest, file.Path));
                    }
                }
                if (matched) files.Add(file.Path);
            }
        }

        var where = string.Join(", ", manifests.Select(m => m.Path));
        if (tags.Count == 0 && digests.Count == 0)
            throw new GitOpsException(Errors.DeployedImageNotFound, environment, name.Name, where, branch, repositoryForMessages,
                found.Count == 0 ? "none" : Messages.List(found.Distinct().ToList()));
        foreach (var (values, what) in new[] { (tags, "tags"), (digests, "digests") })
        {
            if (values.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count() > 1)
                throw new GitOpsException(Errors.DeployedImageAmbiguous, environment, name.Name, branch, repositoryForMessages,
                    what + " " + string.Join(", ", values.GroupBy(v => v.Value).Select(g => $"'{g.Key}' in {string.Join(", ", g.Select(v => v.File).Distinct())}")));
        }

        return new EnvironmentImage(new ImageReference(name.Registry, name.Repository, tags.FirstOrDefault().Value, digests.FirstOrDefault().Value), files);
    }

    // Both parts first, so that a digest written beside the tag is read too; a Helm mapping without a digest key
    // (GITOPS049) or a stale-digest refusal (GITOPS048) cannot happen when only the tag is probed.
    private static ManifestEditResult Probe(string path, byte[] content, ImageReference probe, ManifestEditOptions options)
    {
        try
        {
            return ManifestEditor.TryEdit(path, content, probe, options with { ReferenceFormat = ImageReferenceFormat.TagAndDigest, AddIfMissing = false });
        }
        catch (GitOpsException e) when (e.Error == Errors.DigestKeyMissing)
        {
            return ManifestEditor.TryEdit(path, content, probe, options with { ReferenceFormat = ImageReferenceFormat.Tag, AddIfMissing = false });
        }
    }
}
