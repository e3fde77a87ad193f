using System.Diagnostics;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Git;

/// <summary>The overall time budget of one write-back, shared by libgit2's progress callbacks and the back-off.</summary>
internal sealed class Deadline(TimeSpan timeout, CancellationToken cancellationToken)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Fires on Ctrl+C (the task's cancellation); the deadline itself is <see cref="Remaining"/>.</summary>
    public CancellationToken Token => cancellationToken;

    /// <summary>What is left of the budget (zero once spent).</summary>
    public TimeSpan Remaining => timeout - clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>For libgit2's progress callbacks: returning false makes it stop with a UserCancelledException.</summary>
    public bool KeepGoing() => !cancellationToken.IsCancellationRequested && clock.Elapsed < timeout;

    /// <summary>Throws OperationCanceledException if cancelled, GITOPS030 if the budget is spent.</summary>
    public void ThrowIfExpired(string displayUrl)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (clock.Elapsed >= timeout)
            throw new GitOpsException(Errors.ConfigTimedOut, displayUrl, timeout);
    }

    /// <summary>Sleeps, but never past the deadline, and wakes up on cancellation.</summary>
    public void Wait(TimeSpan delay)
    {
        var remaining = timeout - clock.Elapsed;
        var pause = delay < remaining ? delay : remaining;
        if (pause > TimeSpan.Zero)
            cancellationToken.WaitHandle.WaitOne(pause);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
