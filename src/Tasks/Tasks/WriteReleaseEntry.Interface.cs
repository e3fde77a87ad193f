using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class WriteReleaseEntry
{
    /// <summary>The directory the solution or traversal project made for this build (_GitOpsReleaseDirectory).</summary>
    [Required] public string ReleaseDirectory { get; set; } = "";

    /// <summary>The pushed image reference, with its tag.</summary>
    public string? Image { get; set; }

    public string? ImageDigest { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceRepositoryUrl { get; set; }

    public string? ProjectPath { get; set; }
}
