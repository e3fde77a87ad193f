using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Deploy;

/// <summary>Everything the config-repository step needs, already validated by the caller's types.</summary>
internal sealed record DeploymentRequest(
    DeploymentFacts Facts,
    ConfigRepositoryLocation ConfigRepository,
    string? ConfigBranch,
    IReadOnlyList<ManifestTarget> Manifests,
    string? CommitMessageTemplate,
    string AuthorName,
    string AuthorEmail,
    bool DryRun,
    string? PushBranchTemplate = null,
    DeployOrderCheck? OrderCheck = null,
    PromotionSource? PromotedFrom = null);

/// <summary>Where the app's history is, to refuse replacing an image from a later commit (unless allowed).</summary>
internal sealed record DeployOrderCheck(string AppRepositoryDirectory, bool AllowDowngrade);
