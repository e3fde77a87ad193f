using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tasks;

// The wait for the agent's verdict, composed for the tasks that put a deploy commit on the watched branch.
public abstract partial class GitOpsTask
{
    /// <summary>
    /// The agent's verdict on <paramref name="request"/>'s commit, typed (success, failure, timeout), written to the
    /// outputs (the result files, the CI outputs, the job summary) before it is returned; Ctrl+C is GITOPS145. The
    /// caller decides what a failure does (the error is in the outcome). <paramref name="inputs"/>' GitOpsConfigTimeout
    /// bounds each read of the config repository's history; its HTTP settings (proxy, CA), parsed once, serve the sources too.
    /// </summary>
    private protected WaitOutcome WaitForVerdict(DeployWaitRequest request, ConfigInputs inputs, Stopwatch sinceLanded,
        IReadOnlyList<string> resultFiles)
    {
        var outcome = AwaitVerdict(request, inputs, sinceLanded);
        var outputs = new VerdictOutputs(GetEnvironmentVariable, BuildLog);
        // The CI outputs once, every result file (a release's projects each have one).
        outputs.Write(outcome, resultFiles.Count > 0 ? resultFiles[0] : null);
        foreach (var file in resultFiles.Skip(1))
            outputs.WriteResultFile(outcome, file);
        return outcome;
    }

    /// <summary>
    /// The end of every deploy that waits: the agent's verdict on <paramref name="request"/>'s commit, written to the
    /// outputs, and the build's error, if any: the verdict's own (GITOPS136, GITOPS135), or, for a failure under
    /// GitOpsRollbackOnFailure, the rollback's (<see cref="RollBack"/>: GITOPS163, GITOPS164, GITOPS160 …).
    /// </summary>
    private protected (WaitOutcome Outcome, GitOpsException? Error) Conclude(DeployWaitRequest request, ConfigInputs inputs,
        Stopwatch sinceLanded, IReadOnlyList<string> resultFiles)
    {
        var outcome = WaitForVerdict(request, inputs, sinceLanded, resultFiles);
        return outcome is { State: WaitOutcomeState.Failure } && inputs.RollbackOnFailure
            ? (outcome, RollBack(inputs, request, outcome, resultFiles))
            : (outcome, outcome.Error);
    }

    /// <summary>The verdict alone, written nowhere: a rollback's revert reports it inside the deploy's outputs.</summary>
    private protected WaitOutcome AwaitVerdict(DeployWaitRequest request, ConfigInputs inputs, Stopwatch sinceLanded)
    {
        var step = VerdictStep(inputs);
        WaitOutcome outcome;
        try
        {
            outcome = step.Wait(request, sinceLanded, CancellationToken);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new GitOpsException(Errors.WaitCancelled, request.Commit[..Math.Min(7, request.Commit.Length)], request.Where);
        }
        return outcome;
    }

    /// <summary>
    /// The wait step with what the inputs and the environment configure: the HTTP settings (proxy, CA) parsed once with
    /// the inputs, the ancestry check of the agent's revisions (<see cref="OpenAncestry"/>), the forge's status readers
    /// with the pull-request work's credentials.
    /// </summary>
    private protected DeployWaitStep VerdictStep(ConfigInputs inputs)
    {
        var http = inputs.Http;
        var log = BuildLog;
        return new DeployWaitStep(options => OpenAncestry(inputs, options), http, GetEnvironmentVariable,
            (repository, options) => ForgeStatusReaders.Open(repository, options, GetEnvironmentVariable, http, log, CancellationToken), log);
    }

    /// <summary>
    /// Asked the way the write-back writes (<see cref="OpenForgeWriter"/>): GitOpsCommitMethod=api through the forge's
    /// API, with no clone, its calls bounded like the status reads (the wait's timeout, and a minute for a rate limit's
    /// wait); else in a clone of the branch, each bounded by GitOpsConfigTimeout.
    /// </summary>
    private ICommitAncestry OpenAncestry(ConfigInputs inputs, DeployWaitOptions options)
    {
        var transport = TransportOptions(inputs);
        using var write = new ConfigWrite(ReadCredentials(), transport with { Timeout = options.Timeout + TimeSpan.FromMinutes(1) });
        return OpenForgeWriter(inputs, write, readOnly: true)?.Ancestry() ?? new CloneAncestry(new ConfigRepositoryReader(write.Credentials, transport));
    }
}
