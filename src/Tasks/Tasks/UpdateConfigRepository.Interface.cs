using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class UpdateConfigRepository
{
    /// <summary>The image reference to write, with its tag.</summary>
    public string? Image { get; set; }

    public string? ImageDigest { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceRepositoryUrl { get; set; }

    public string? ProjectPath { get; set; }

    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";

    /// <summary>With GitOpsPullRequest: the pull request's web page and number (empty otherwise).</summary>
    [Output] public string PullRequestUrl { get; private set; } = "";

    [Output] public string PullRequestNumber { get; private set; } = "";
}
