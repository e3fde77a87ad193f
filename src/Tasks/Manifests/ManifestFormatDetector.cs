namespace GitOps.Build.Manifests;

/// <summary>Picks a file's format when the options do not: setter markers, then kustomization, then Kubernetes objects, else Helm values.</summary>
internal static class ManifestFormatDetector
{
    public static ManifestFormat Detect(ManifestText manifest, IReadOnlyList<YamlDocumentNode> documents) =>
        ImagePolicyMarkers.HasMarkers(manifest.Text) ? ManifestFormat.Marker
        : KustomizeImages.IsKustomization(manifest.Path, documents) ? ManifestFormat.Kustomize
        : documents.Any(d => KubernetesWorkloadImages.IsKubernetesObject(d.Root)) ? ManifestFormat.Kubernetes
        : ManifestFormat.Helm;
}
