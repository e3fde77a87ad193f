using System.Diagnostics;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tasks;

// GitOpsRollbackOnFailure: the failed deploy commit reverted, and the revert's verdict waited for. Shared by the single
// deploy (WaitForDeploy) and the release (DeployRelease: one revert per release commit).
public abstract partial class GitOpsTask
{
    /// <summary>
    /// Reverts the failed deploy commit (<see cref="DeployRollback"/>, written as every config write), waits
    /// for the agent's verdict on the revert, adds the rollback to the result files, and returns the build's error: the
    /// deploy failed whatever happens here. GITOPS163 (the revert is healthy) or GITOPS164 (it is not confirmed); a
    /// refused or failed rollback logs the deploy's GITOPS136 and returns the rollback's own error (GITOPS160 …).
    /// </summary>
    private protected GitOpsException RollBack(ConfigInputs inputs, DeployWaitRequest deploy, WaitOutcome failed, IReadOnlyList<string> resultFiles)
    {
        var verdict = string.Join("; ", failed.Failed.Select(t => $"{t.Source} {t.Name} is {t.Label}" + (t.Detail is { } detail ? ": " + detail : "")));
        var outputs = new VerdictOutputs(GetEnvironmentVariable, BuildLog);
        RollbackResult rollback;
        try
        {
            using var write = PrepareWrite(inputs);
            // GitOpsCommitMethod=api: the forge's API reads the deploy commit and makes the revert, with no clone.
            using var forge = OpenForgeWriter(inputs, write);
            rollback = new DeployRollback(write.Credentials, BuildLog, write.Options, forge?.Writer, forge?.Reader).Revert(
                new RollbackRequest(inputs.Repository, deploy.Branch, deploy.Commit, verdict, inputs.AuthorName, inputs.AuthorEmail), CancellationToken);
        }
        catch (GitOpsException e)
        {
            foreach (var file in resultFiles)
                outputs.WriteRollback(file, failed, VerdictOutputs.Rollback(deploy.Commit, deploy.Branch, null, null, e));
            LogError(failed.Error!);
            return e;
        }

        var landed = Stopwatch.StartNew();
        var revert = AwaitVerdict(deploy with { Commit = rollback.RevertCommit }, inputs, landed);
        foreach (var file in resultFiles)
            outputs.WriteRollback(file, failed, VerdictOutputs.Rollback(deploy.Commit, deploy.Branch, rollback, revert, revert.Error));
        var shortRevert = Messages.ShortSha(rollback.RevertCommit);
        return revert.Succeeded
            ? new GitOpsException(Errors.DeployRolledBack, failed.ShortCommit, deploy.Where, verdict, shortRevert)
            : new GitOpsException(Errors.RollbackNotConfirmed, failed.ShortCommit, deploy.Where, verdict, shortRevert,
                revert.Error?.Message ?? revert.StateName);
    }
}
