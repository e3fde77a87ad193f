using System.Diagnostics;
using GitOps.Build.Deploy;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsWaitForDeploy: once the deploy commit is on the branch the agent watches, waits for the agent's verdict
/// (commit statuses on the forge, Argo CD's API), writes it to the outputs, and fails the build with GITOPS136 (failure)
/// or GITOPS135 (timeout) unless it is a success; Ctrl+C is GITOPS145. Secrets (GITOPS_ARGOCD_TOKEN, the forge's token)
/// are read from the environment where they are used, in the sources. Under GitOpsPullRequest the pull request's merge
/// is waited for first (<c>GitOpsTask.Merge.cs</c>). With GitOpsRollbackOnFailure, a failure is
/// rolled back first (<c>GitOpsTask.Rollback.cs</c>).
/// </summary>
public sealed partial class WaitForDeploy : ConfigInputsTask
{
    /// <summary>Started when the task starts, right after the target that put the commit on the branch.</summary>
    private readonly Stopwatch sinceLanded = Stopwatch.StartNew();

    protected override void ExecuteCore()
    {
        var inputs = FindInputs().Inputs;
        if (inputs.Wait is not { } options || Blank(DeployCommit) is not { } commit)
            return;
        var branch = Blank(DeployBranch) ?? inputs.Branch ?? "";
        if (inputs.PullRequest is not null && Blank(PullRequestNumber) is { } number)
        {
            // The deploy lands when the pull request is merged: the agent's wait counts from then, on that commit.
            (commit, branch) = WaitForMerge(inputs, options, PullRequestNumberOf(number), Blank(PullRequestUrl) ?? "", branch, commit);
            sinceLanded.Restart();
        }
        var resultFiles = inputs.ResultFile is { } file ? [file] : Array.Empty<string>();
        var (outcome, error) = Conclude(new DeployWaitRequest(inputs.Repository, branch, commit, options), inputs, sinceLanded, resultFiles);
        DeployVerdict = outcome.StateName;
        if (error is not null)
            throw error;
    }
}
