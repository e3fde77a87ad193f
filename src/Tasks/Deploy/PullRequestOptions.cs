using GitOps.Build.Forge;

namespace GitOps.Build.Deploy;

/// <summary>
/// GitOpsPullRequest and its companions, parsed once by the task: which forge (GitOpsForge, GitOpsForgeApiUrl; empty
/// means inferred), the pull request's title template, labels, draft state, reviewers, and what happens after it is
/// open (auto-merge with a method, superseding older deploy pull requests).
/// </summary>
internal sealed record PullRequestOptions(
    string? Forge,
    string? ApiUrl,
    string? TitleTemplate,
    IReadOnlyList<string> Labels,
    bool Draft,
    IReadOnlyList<string> Reviewers,
    bool AutoMerge,
    MergeMethod MergeMethod,
    bool Supersede)
{
    /// <summary>The head branch when GitOpsConfigPushBranch is not set: one branch per release.</summary>
    public const string DefaultHeadTemplate = "gitops/{Repository}-{Tag}";

    /// <summary>"a, b;c" as a list: MSBuild item-style separators and commas both work.</summary>
    public static IReadOnlyList<string> List(string? value) =>
        (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
}
