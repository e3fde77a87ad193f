using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class WaitForDeploy
{
    /// <summary>
    /// The commit to wait on, on the branch the agent watches: after a direct push, the deploy commit
    /// ($(GitOpsConfigCommit)). Empty (nothing committed: already deployed, dry run): nothing to wait on.
    /// </summary>
    public string? DeployCommit { get; set; }

    /// <summary>The branch it is on ($(GitOpsConfigCommitBranch)).</summary>
    public string? DeployBranch { get; set; }

    /// <summary>
    /// Under GitOpsPullRequest, the pull request that proposes the deploy commit ($(GitOpsPullRequestNumber), its
    /// $(GitOpsPullRequestUrl)): its merge is waited for first, then the commit the merge made on the base branch.
    /// </summary>
    public string? PullRequestNumber { get; set; }

    public string? PullRequestUrl { get; set; }

    /// <summary>
    /// The verdict: success, failure or timeout ($(GitOpsDeployVerdict)); set before a failure's error is logged.
    /// Empty when nothing was waited for.
    /// </summary>
    [Output] public string DeployVerdict { get; private set; } = "";
}
