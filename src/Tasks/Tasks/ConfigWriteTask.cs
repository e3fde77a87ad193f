using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tasks;

/// <summary>
/// The parameters every task that writes to the config repository takes (GitOpsUpdateConfig and a release's projects
/// through <see cref="ConfigUpdateTask"/>, GitOpsPromote): where, how the commit is made and signed, the limits.
/// Strings, also for booleans and numbers, so that a bad value is a GITOPS code naming the property, not MSBuild's MSB4030.
/// </summary>
public abstract class ConfigWriteTask : GitOpsTask
{
    /// <summary>GitOpsConfigRepository: https://, http://, ssh:// URL, scp-style user@host:path, file:// URL or a local path.</summary>
    public string? ConfigRepository { get; set; }

    /// <summary>GitOpsConfigBranch: empty means the remote's default branch.</summary>
    public string? ConfigBranch { get; set; }

    /// <summary>GitOpsConfigPushBranch: a branch (template) to push to instead, e.g. for a pull request.</summary>
    public string? ConfigPushBranch { get; set; }

    /// <summary>GitOpsResultFile: where the JSON result goes.</summary>
    public string? ResultFile { get; set; }

    /// <summary>The app's Git repository (a directory in it): its history tells whether the config already deploys a later commit.</summary>
    public string? AppRepositoryDirectory { get; set; }

    /// <summary>GitOpsAllowDowngrade: replace an image built from a later commit anyway.</summary>
    public string? AllowDowngrade { get; set; }

    public string? CommitMessage { get; set; }

    /// <summary>GitOpsImageReferenceFormat: Tag (default), Digest or TagAndDigest.</summary>
    public string? ReferenceFormat { get; set; }

    /// <summary>GitOpsCommitAuthorName; blank is GITOPS036.</summary>
    public string CommitAuthorName { get; set; } = "";

    public string CommitAuthorEmail { get; set; } = "";

    /// <summary>GitOpsDryRun. Booleans are strings here so that "yes" is GITOPS008 naming the property, not MSBuild's MSB4030.</summary>
    public string? DryRun { get; set; }

    /// <summary>GitOpsCommitSigningFormat: ssh or openpgp; empty commits unsigned. The key is read from GITOPS_SIGNING_KEY.</summary>
    public string? CommitSigningFormat { get; set; }

    /// <summary>GitOpsCommitSigningKey: an OpenPGP key id in the build user's keyring (or, for ssh, a key file's path).</summary>
    public string? CommitSigningKey { get; set; }

    /// <summary>GitOpsArgoCdTrailers: write Argo CD's Argocd-reference-commit-* trailers (default true; a string, as DryRun).</summary>
    public string? ArgoCdTrailers { get; set; }

    /// <summary>GitOpsPushRetries, as written: 0 to 100 (a string, so that a non-number gets a code too).</summary>
    public string? PushRetries { get; set; }

    /// <summary>GitOpsConfigTimeout: seconds for the whole config step, retries included; 1 to 3600.</summary>
    public string? TimeoutSeconds { get; set; }

    /// <summary>GitOpsPullRequest: push to a branch and open (or update) a pull request into the config branch.</summary>
    public string? PullRequest { get; set; }

    /// <summary>GitOpsForge: GitHub, GitLab, AzureDevOps, Bitbucket or Gitea; empty: inferred from the host.</summary>
    public string? Forge { get; set; }

    /// <summary>GitOpsForgeApiUrl: the forge's REST root; empty: inferred.</summary>
    public string? ForgeApiUrl { get; set; }

    /// <summary>GitOpsPullRequestTitle: a template with the commit-message tokens; empty: the commit's subject.</summary>
    public string? PullRequestTitle { get; set; }

    /// <summary>GitOpsPullRequestLabels: ';' or ',' separated.</summary>
    public string? PullRequestLabels { get; set; }

    /// <summary>GitOpsPullRequestDraft.</summary>
    public string? PullRequestDraft { get; set; }

    /// <summary>GitOpsPullRequestReviewers: user names, GitHub teams as org/team; ';' or ',' separated.</summary>
    public string? PullRequestReviewers { get; set; }

    /// <summary>GitOpsPullRequestAutoMerge: ask the forge to merge once the checks pass.</summary>
    public string? PullRequestAutoMerge { get; set; }

    /// <summary>GitOpsPullRequestMergeMethod: merge (default), squash or rebase.</summary>
    public string? PullRequestMergeMethod { get; set; }

    /// <summary>GitOpsPullRequestSupersede: close this product's older deploy pull requests for the same images and manifests.</summary>
    public string? PullRequestSupersede { get; set; }

    private protected override string CancelledWhat => UrlRedactor.Redact(ConfigRepository ?? "");
}
