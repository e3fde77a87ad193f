namespace GitOps.Build.Manifests;

/// <summary>Picks a file's format when the options do not: setter markers, then kustomization, then Kubernetes objects, else Helm values.</summary>
internal static class ManifestFormatDetector
{
    // documents: in a sliced file the parsed ones first, then the others, parsed only as far as enumerated.
    public static ManifestFormat Detect(ManifestText manifest, int documentCount, IEnumerable<YamlDocumentNode> documents) =>
        ImagePolicyMarkers.HasMarkers(manifest.Text) ? ManifestFormat.Marker
        : KustomizeImages.IsKustomization(manifest.Path, documentCount, documents) ? ManifestFormat.Kustomize
        : documents.Any(d => KubernetesWorkloadImages.IsKubernetesObject(d.Root)) ? ManifestFormat.Kubernetes
        : ManifestFormat.Helm;
}
