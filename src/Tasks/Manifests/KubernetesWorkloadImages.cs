namespace GitOps.Build.Manifests;

/// <summary>
/// Image fields of Kubernetes workloads: the containers, initContainers and ephemeralContainers of each
/// kind's pod spec, in every document and in the items of List kinds. Nothing else is an image field,
/// so a ConfigMap value or an env var holding the same text is left alone. Argo CD and Flux objects in the
/// same files are read by their own classes.
/// </summary>
internal static class KubernetesWorkloadImages
{
    private static readonly Dictionary<string, string[]> PodSpecPaths = new(StringComparer.Ordinal)
    {
        ["Pod"] = ["spec"],
        ["PodTemplate"] = ["template", "spec"],
        ["Deployment"] = ["spec", "template", "spec"],
        ["StatefulSet"] = ["spec", "template", "spec"],
        ["DaemonSet"] = ["spec", "template", "spec"],
        ["ReplicaSet"] = ["spec", "template", "spec"],
        ["ReplicationController"] = ["spec", "template", "spec"],
        ["Job"] = ["spec", "template", "spec"],
        ["CronJob"] = ["spec", "jobTemplate", "spec", "template", "spec"],
    };

    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>Whether a document looks like a Kubernetes object (apiVersion and kind).</summary>
    public static bool IsKubernetesObject(YamlNode? root) =>
        root?.Resolve() is YamlMapping mapping && mapping.GetString("apiVersion") is not null && mapping.GetString("kind") is not null;

    public static void Collect(IReadOnlyList<YamlDocumentNode> documents, EditPlan plan, NewImageValues newImage, ManifestEditOptions options)
    {
        // Each object once, however many List items are aliases of it (a List of Lists of aliases fans out exponentially).
        var visited = new HashSet<YamlMapping>(ReferenceEqualityComparer.Instance);
        foreach (var document in documents)
        {
            CollectObject(document.Root?.Resolve() as YamlMapping, plan, newImage, options, visited);
        }
    }

    private static void CollectObject(YamlMapping? obj, EditPlan plan, NewImageValues newImage, ManifestEditOptions options, HashSet<YamlMapping> visited)
    {
        var kind = obj?.GetString("kind");
        if (obj is null || kind is null || !visited.Add(obj))
        {
            return;
        }

        if (kind.EndsWith("List", StringComparison.Ordinal))
        {
            foreach (var item in obj.GetSequence("items")?.Items ?? [])
            {
                CollectObject(item.Resolve() as YamlMapping, plan, newImage, options, visited);
            }

            return;
        }

        ArgoCdApplicationImages.Collect(obj, plan, newImage, options);
        FluxHelmReleaseImages.Collect(obj, plan, newImage, options);
        if (!PodSpecPaths.TryGetValue(kind, out var path) || obj.GetMappingPath(path) is not { } podSpec)
        {
            return;
        }

        foreach (var list in ContainerLists)
        {
            foreach (var item in podSpec.GetSequence(list)?.Items ?? [])
            {
                if (item.Resolve() is YamlMapping container
                    && (options.ContainerName is null || container.GetString("name") == options.ContainerName)
                    && container.Get("image") is { } image)
                {
                    ContainerImage.Collect(image, plan, newImage);
                }
            }
        }
    }
}
