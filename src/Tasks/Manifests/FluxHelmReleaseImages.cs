namespace GitOps.Build.Manifests;

/// <summary>A Flux HelmRelease's spec.values are Helm values.</summary>
internal static class FluxHelmReleaseImages
{
    public static void Collect(YamlMapping obj, EditPlan plan, NewImageValues newImage, ManifestEditOptions options)
    {
        if (obj.GetString("kind") == "HelmRelease"
            && obj.GetString("apiVersion")?.StartsWith("helm.toolkit.fluxcd.io/", StringComparison.Ordinal) == true)
        {
            HelmValuesImages.Collect([obj.GetMapping("spec")?.Get("values")], plan, newImage, options);
        }
    }
}
