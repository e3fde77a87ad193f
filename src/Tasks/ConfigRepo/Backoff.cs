namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Jittered exponential back-off between attempts: concurrent pipelines that lost the same push race
/// should not all come back at the same instant.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan cap, Func<double> nextRandom)
{
    public static readonly Backoff Default = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), Random.Shared.NextDouble);

    /// <summary>No waiting: for tests.</summary>
    public static readonly Backoff None = new(TimeSpan.Zero, TimeSpan.Zero, () => 0.5);

    /// <summary>The pause before retry number <paramref name="retry"/> (1-based): initial·2^(retry-1) up to the cap, then ±50 %.</summary>
    /// <remarks>
    /// The jitter comes after the cap: capping after it made every writer past the fifth retry wait exactly the cap, so
    /// dozens of pipelines that lost together came back together (64 writers: 19 ran out of retries).
    /// </remarks>
    public TimeSpan DelayBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponential = Math.Min(initial.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)), cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(exponential * (0.5 + nextRandom()));
    }
}
