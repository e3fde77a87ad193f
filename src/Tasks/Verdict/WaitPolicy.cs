namespace GitOps.Build.Verdict;

/// <summary>
/// How long and how often to ask: <paramref name="Timeout"/> counts from the moment the commit reached the watched
/// branch (GitOpsWaitTimeout); polls back off from <paramref name="FirstDelay"/> to <paramref name="MaxDelay"/>, and a
/// wait with no change still says so every <paramref name="Heartbeat"/>.
/// </summary>
internal sealed record WaitPolicy(TimeSpan Timeout, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan Heartbeat)
{
    public const int DefaultTimeoutSeconds = 600;

    /// <summary>2 s doubling-ish (×1.5) to 15 s: quick for a fast agent, gentle on the forge's rate limit for a slow one.</summary>
    public static WaitPolicy For(TimeSpan timeout) =>
        new(timeout, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60));

    public TimeSpan NextDelay(TimeSpan current)
    {
        var next = TimeSpan.FromTicks((long)(current.Ticks * 1.5));
        return next > MaxDelay ? MaxDelay : next;
    }
}
