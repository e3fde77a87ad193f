using GitOps.Build.Diagnostics;

namespace GitOps.Build.Verdict;

/// <summary>How the wait for the agent's verdict ended; the commit has landed in every case.</summary>
internal enum WaitOutcomeState
{
    /// <summary>Every watched application or status context reported success.</summary>
    Success,

    /// <summary>One reported failure (GITOPS136).</summary>
    Failure,

    /// <summary>GitOpsWaitTimeout passed first (GITOPS135).</summary>
    Timeout,
}

/// <summary>
/// The agent's verdict on one deploy commit, typed, as the wait step returns it: what the outputs write and what a
/// caller acts on (a failure's targets say which application or context failed, and why). <paramref name="Error"/> is
/// the coded error of a failure or a timeout, for the log; null on success.
/// </summary>
internal sealed record WaitOutcome(string Commit, WaitOutcomeState State, IReadOnlyList<TargetVerdict> Targets, double Seconds, GitOpsException? Error)
{
    public bool Succeeded => State == WaitOutcomeState.Success;

    /// <summary>"success", "failure", "timeout": GitOpsDeployVerdict and the CI outputs.</summary>
    public string StateName => State.ToString().ToLowerInvariant();

    /// <summary>The targets that failed (a failure's cause); empty otherwise.</summary>
    public IReadOnlyList<TargetVerdict> Failed => [.. Targets.Where(t => t.State == TargetState.Failed)];

    /// <summary>The short commit messages name.</summary>
    public string ShortCommit => Commit.Length > 7 ? Commit[..7] : Commit;
}
