namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// A clock that moves only when the test moves it: a time limit runs out at the step the test chooses, never because
/// the machine was slow (and never fails to run out because it was fast).
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
