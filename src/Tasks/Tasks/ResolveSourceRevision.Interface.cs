using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class ResolveSourceRevision
{
    /// <summary>Where the search for the app's Git repository starts.</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>GitOpsImageTag: replaces the commit-derived tag.</summary>
    public string? ImageTag { get; set; }

    /// <summary>GitOpsAllowDirty: accept uncommitted changes to tracked files.</summary>
    public string? AllowDirty { get; set; }

    [Output] public string SourceCommit { get; private set; } = "";

    [Output] public string SourceRepositoryUrl { get; private set; } = "";

    [Output] public string ResolvedImageTag { get; private set; } = "";
}
