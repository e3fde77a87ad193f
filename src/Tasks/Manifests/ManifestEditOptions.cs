namespace GitOps.Build.Manifests;

/// <summary>How <see cref="ManifestEditor"/> finds and writes the image reference.</summary>
public sealed record ManifestEditOptions
{
    /// <summary>Only containers with this name are updated (Kubernetes workloads); null updates every matching container.</summary>
    public string? ContainerName { get; init; }

    /// <summary>Which parts of the new reference are written where a whole reference is written.</summary>
    public ImageReferenceFormat ReferenceFormat { get; init; } = ImageReferenceFormat.Tag;
}

/// <summary>Which parts of the new image reference are written.</summary>
public enum ImageReferenceFormat
{
    /// <summary>repository:tag</summary>
    Tag,

    /// <summary>repository@digest</summary>
    Digest,

    /// <summary>repository:tag@digest</summary>
    TagAndDigest,
}
