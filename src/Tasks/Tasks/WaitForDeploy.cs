using System.Diagnostics;
using GitOps.Build.Deploy;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsWaitForDeploy: once the deploy commit is on the branch the agent watches, waits for the agent's verdict
/// (commit statuses on the forge, Argo CD's API), writes it to the outputs, and fails the build with GITOPS136 (failure)
/// or GITOPS135 (timeout) unless it is a success; Ctrl+C is GITOPS145. Secrets (GITOPS_ARGOCD_TOKEN, the forge's token)
/// are read from the environment where they are used, in the sources.
/// </summary>
public sealed partial class WaitForDeploy : GitOpsTask
{
    /// <summary>Started when the task starts, right after the target that put the commit on the branch.</summary>
    private readonly Stopwatch sinceLanded = Stopwatch.StartNew();

    protected override void ExecuteCore()
    {
        var inputs = FindInputs(InputsKey, Settings, Manifests).Inputs;
        if (inputs.Wait is not { } options || Blank(DeployCommit) is not { } commit)
            return;
        var request = new DeployWaitRequest(inputs.Repository, Blank(DeployBranch) ?? inputs.Branch ?? "", commit, options);
        var outcome = WaitForVerdict(request, inputs, sinceLanded, inputs.ResultFile is { } file ? [file] : []);
        DeployVerdict = outcome.StateName;
        if (outcome.Error is { } error)
            throw error;
    }
}
