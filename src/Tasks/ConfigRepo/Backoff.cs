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

    /// <summary>The pause before retry number <paramref name="retry"/> (1-based): initial·2^(retry-1), ±50 %, at most the cap.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var jittered = exponential * (0.5 + nextRandom());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, cap.TotalMilliseconds));
    }
}
