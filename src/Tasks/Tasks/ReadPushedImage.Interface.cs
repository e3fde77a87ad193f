using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class ReadPushedImage
{
    [Required] public string Registry { get; set; } = "";

    [Required] public string Repository { get; set; } = "";

    [Required] public string Tag { get; set; } = "";

    /// <summary>@(GeneratedContainer): the SDK lists each image twice, with ManifestDigest metadata.</summary>
    public ITaskItem[] GeneratedContainers { get; set; } = [];

    /// <summary>$(GeneratedContainerDigest), in case the items carry none.</summary>
    public string? GeneratedDigest { get; set; }

    /// <summary>$(GeneratedImageIndex): set by a multi-RID publish, whose tag names this index, not the per-RID images.</summary>
    public string? GeneratedImageIndex { get; set; }

    /// <summary>$(GeneratedArchiveOutputPath): set when the image went to a tarball (dry run) instead of the registry.</summary>
    public string? ArchivePath { get; set; }

    /// <summary>UTC ticks when PublishContainer started, for the duration shown.</summary>
    public long StartedTicks { get; set; }

    [Output] public string Image { get; private set; } = "";

    [Output] public string Digest { get; private set; } = "";
}
