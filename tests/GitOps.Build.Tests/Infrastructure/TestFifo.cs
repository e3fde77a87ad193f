namespace GitOps.Build.Tests.Infrastructure;

/// <summary>
/// A FIFO (mkfifo) where the build expects a file. Opening one blocks until the other end opens: <see cref="Bounded"/>
/// fails a test whose call blocks instead of hanging the run, and disposing opens both ends at once (O_RDWR never
/// blocks on Linux), so a thread blocked on it returns.
/// </summary>
internal sealed class TestFifo : IDisposable
{
    private TestFifo(string path) => Path = path;

    public string Path { get; }

    public static TestFifo Create(string path)
    {
        ProcessRunner.Run("mkfifo", [path]);
        return new TestFifo(path);
    }

    /// <summary>The result of <paramref name="call"/>, which must not block on the FIFO (bounded at a minute: a hang, not a timing).</summary>
    public static T Bounded<T>(Func<T> call)
    {
        var task = Task.Run(call);
        Assert.AreEqual(0, Task.WaitAny([task], TimeSpan.FromMinutes(1)), "the call blocked on the FIFO");
        return task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try
        {
            using var both = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (IOException)
        {
            // Gone, or no FIFO any more: nothing blocks on it.
        }
    }
}
