using System.Collections.Concurrent;

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

    /// <summary>Every timer the code under test set on this clock (a back-off), in order.</summary>
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    /// <summary>A timer ends at once: the clock jumps to its due time, so a wait is recorded, not slept.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Waits.Enqueue(dueTime);
        Advance(dueTime);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new EndedTimer();
    }

    private sealed class EndedTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
