namespace GitOps.Build.ConfigRepo;

/// <summary>
/// When the write-back starts another round (clone, apply, commit, push), and what a round costs. Retried: a failure
/// another round can fix, the network (a clone that could not connect, a push cut off) or another push winning the
/// race (while the clone ran, or before ours). Each retry spends one of GitOpsPushRetries and waits a back-off. A round
/// on the early clone that lost only because the branch moved while the app was built is free: that is not
/// contention, the clone was just old. GitOpsConfigTimeout bounds everything (<see cref="Deadline"/>).
/// </summary>
internal sealed class RetryPolicy(int retries, Backoff backoff, Deadline deadline)
{
    /// <summary>The round under way, counted as the log and the result count them: 1 to <see cref="Attempts"/>.</summary>
    public int Attempt { get; private set; } = 1;

    public int Attempts => retries + 1;

    /// <summary>False on the last round: its failure is final.</summary>
    public bool CanRetry => Attempt < Attempts;

    /// <summary>The failures another round may fix.</summary>
    public static bool IsRetried(GitFailure failure) => failure is GitFailure.Unreachable or GitFailure.Conflict;

    /// <summary>Spends a retry on the round that just failed, and waits its back-off (never past the deadline).</summary>
    public void Retry()
    {
        deadline.Wait(backoff.DelayBefore(Attempt));
        Attempt++;
    }
}
