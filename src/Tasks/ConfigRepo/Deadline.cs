using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>The overall time budget of one write-back, shared by libgit2's progress callbacks and the back-off.</summary>
/// <remarks><paramref name="time"/>: the system's clock; a test's own, to make the budget run out where it wants.</remarks>
internal sealed class Deadline(TimeSpan timeout, CancellationToken cancellationToken, TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    private readonly long started = (time ?? TimeProvider.System).GetTimestamp();

    private TimeSpan Elapsed => clock.GetElapsedTime(started);

    /// <summary>Fires on Ctrl+C (the task's cancellation); the deadline itself is <see cref="Remaining"/>.</summary>
    public CancellationToken Token => cancellationToken;

    /// <summary>What is left of the budget (zero once spent).</summary>
    public TimeSpan Remaining => timeout - Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>For libgit2's progress callbacks: returning false makes it stop with a UserCancelledException.</summary>
    public bool KeepGoing() => !cancellationToken.IsCancellationRequested && Elapsed < timeout;

    /// <summary>Throws OperationCanceledException if cancelled, GITOPS030 if the budget is spent.</summary>
    public void ThrowIfExpired(string displayUrl)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Elapsed >= timeout)
            throw TimedOut(displayUrl);
    }

    /// <summary>
    /// For a wait that a timer set to <see cref="Remaining"/> ended: OperationCanceledException if cancelled, else
    /// GITOPS030 (the timer may fire a hair before the clock reads the full budget).
    /// </summary>
    public GitOpsException Stopped(string displayUrl)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return TimedOut(displayUrl);
    }

    private GitOpsException TimedOut(string displayUrl) => new(Errors.ConfigTimedOut, displayUrl, timeout);

    /// <summary>Sleeps, but never past the deadline, and wakes up on cancellation.</summary>
    /// <remarks>A timer of the deadline's clock: a test's clock sees the back-off it was asked for.</remarks>
    public void Wait(TimeSpan delay)
    {
        var remaining = timeout - Elapsed;
        var pause = delay < remaining ? delay : remaining;
        if (pause > TimeSpan.Zero)
        {
            try
            {
                Task.Delay(pause, clock, cancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Thrown below as the token's own exception, as before.
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
