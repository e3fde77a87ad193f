namespace GitOps.Build.Tests.Manifests;

/// <summary>
/// Runs code on a thread with a 256 KB stack (MSBuild's threads have several times that), so an input that recursed
/// with its nesting would overflow here first; and waits a bounded time for it. A stack overflow ends the test host,
/// which fails the run: the assertions below can only fail, never crash, when the bound holds.
/// </summary>
internal static class SmallStack
{
    public const int Bytes = 256 * 1024;

    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                thrown = e;
            }
        }, Bytes);
        thread.Start();
        Assert.IsTrue(thread.Join(TimeSpan.FromSeconds(60)), "did not finish within 60 s");
        if (thrown is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(thrown);
        }

        return result;
    }
}
