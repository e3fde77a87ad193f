using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class WaitForDeploy
{
    /// <summary>$(_GitOpsConfigInputsKey): the project's parsed config inputs, GitOpsWaitForDeploy's among them (<see cref="ReadConfigInputs"/>).</summary>
    [Required] public string InputsKey { get; set; } = "";

    /// <summary>@(_GitOpsConfigInputs) and @(_GitOpsManifest): parsed again only where InputsKey is not found.</summary>
    public ITaskItem? Settings { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>
    /// The commit to wait on, on the branch the agent watches: after a direct push, the deploy commit
    /// ($(GitOpsConfigCommit)). Empty (nothing committed: already deployed, dry run): nothing to wait on.
    /// </summary>
    public string? DeployCommit { get; set; }

    /// <summary>The branch it is on ($(GitOpsConfigCommitBranch)).</summary>
    public string? DeployBranch { get; set; }

    /// <summary>
    /// The verdict: success, failure or timeout ($(GitOpsDeployVerdict)); set before a failure's error is logged.
    /// Empty when nothing was waited for.
    /// </summary>
    [Output] public string DeployVerdict { get; private set; } = "";
}
