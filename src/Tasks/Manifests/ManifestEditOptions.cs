namespace GitOps.Build.Manifests;

/// <summary>How <see cref="ManifestEditor"/> finds and writes the image reference.</summary>
internal sealed record ManifestEditOptions
{
    /// <summary>Only containers with this name are updated (Kubernetes workloads); null updates every matching container.</summary>
    public string? ContainerName { get; init; }

    /// <summary>Which parts of the new reference are written.</summary>
    public ImageReferenceFormat ReferenceFormat { get; init; } = ImageReferenceFormat.Tag;

    /// <summary>The file's format; null detects it from the file name and content.</summary>
    public ManifestFormat? Format { get; init; }

    /// <summary>Kustomize: add an images entry when none names the image, instead of failing.</summary>
    public bool AddIfMissing { get; init; }

    /// <summary>Flux setter markers: only markers of this image policy ("namespace:name") are updated; null matches markers by repository.</summary>
    public string? ImagePolicy { get; init; }

    /// <summary>Helm values: the key names of split image references.</summary>
    public HelmImageKeys HelmKeys { get; init; } = new();

    /// <summary>
    /// Helm values (and Argo CD helm parameters): the dotted path of the one value to set, e.g. web.image.tag,
    /// instead of searching by repository. A key named like the digest key gets the digest, one named image a
    /// whole reference, any other the tag.
    /// </summary>
    public string? ValuePath { get; init; }
}

/// <summary>Key names of an image split across a mapping, e.g. {registry: r, repository: team/app, tag: v1}.</summary>
internal sealed record HelmImageKeys
{
    public string Repository { get; init; } = "repository";

    public string Tag { get; init; } = "tag";

    /// <summary>Optional registry key prefixed to the repository; null when values never split out the registry.</summary>
    public string? Registry { get; init; } = "registry";

    public string Digest { get; init; } = "digest";
}

/// <summary>Which parts of the new image reference are written.</summary>
internal enum ImageReferenceFormat
{
    /// <summary>repository:tag</summary>
    Tag,

    /// <summary>repository@digest</summary>
    Digest,

    /// <summary>repository:tag@digest</summary>
    TagAndDigest,
}

/// <summary>What kind of file a manifest is, which decides where its image references are.</summary>
internal enum ManifestFormat
{
    /// <summary>Kubernetes objects: workload containers, Argo CD Application/ApplicationSet, Flux HelmRelease.</summary>
    Kubernetes,

    /// <summary>A kustomization.yaml: its images list.</summary>
    Kustomize,

    /// <summary>A Helm values file.</summary>
    Helm,

    /// <summary>Flux image automation setter markers: # {"$imagepolicy": "namespace:name"}.</summary>
    Marker,
}
