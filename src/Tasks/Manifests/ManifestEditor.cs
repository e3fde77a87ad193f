using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>
/// Replaces image references in a manifest so that exactly the bytes of the references change: the
/// scalars are located by parser marks, rewritten in their own style, spliced into the original text,
/// and the result is re-parsed and compared with the original before anything is returned.
/// </summary>
public static class ManifestEditor
{
    /// <summary>Edits every matching reference; no match at all is an error (GITOPS040) listing the images found.</summary>
    public static ManifestEditResult Edit(string path, byte[] content, ImageReference newImage, ManifestEditOptions? options = null)
    {
        var result = TryEdit(path, content, newImage, options);
        if (result.Replacements.Count == 0)
        {
            throw new GitOpsException(Errors.NoImageReference, newImage.Name, path,
                result.ImagesFound.Count == 0 ? "none" : string.Join(", ", result.ImagesFound));
        }
        return result;
    }

    /// <summary>Like <see cref="Edit"/>, but a file without a match comes back unchanged with no replacements.</summary>
    public static ManifestEditResult TryEdit(string path, byte[] content, ImageReference newImage, ManifestEditOptions? options = null)
    {
        options ??= new ManifestEditOptions();
        var values = new NewImageValues(newImage, options.ReferenceFormat);
        var manifest = ManifestText.Decode(path, content);
        var documents = YamlTreeReader.Read(manifest);
        var plan = new EditPlan(manifest, documents);
        switch (options.Format ?? ManifestFormatDetector.Detect(manifest, documents))
        {
            case ManifestFormat.Kustomize:
                KustomizeImages.Collect(documents, plan, values, options.AddIfMissing);
                break;
            case ManifestFormat.Helm:
                HelmValuesImages.Collect(documents.Select(d => d.Root), plan, values, options);
                break;
            case ManifestFormat.Marker:
                ImagePolicyMarkers.Collect(documents, plan, values, options.ImagePolicy);
                break;
            default:
                KubernetesWorkloadImages.Collect(documents, plan, values, options);
                break;
        }

        return plan.HasMatches ? plan.Apply() : new ManifestEditResult(content, [], plan.ImagesFound);
    }
}
