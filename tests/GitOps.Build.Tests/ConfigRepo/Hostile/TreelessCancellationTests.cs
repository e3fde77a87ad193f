using System.Diagnostics;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// Ctrl+C (the task's cancellation, which the task reports as GITOPS032) while a treeless clone's batched fetch of what
/// the reads need (TreelessStore.Ensure, one request for a level's trees) is answered a progress line at a time: it
/// stops at once, with nothing pushed and no clone left. The bound asserted is a hang detector (the deadline is ten
/// minutes, so only the cancellation can end it sooner); the time it took is printed.
/// </summary>
[TestClass]
public sealed class TreelessCancellationTests
{
    private readonly HostileServerWriter writer = new("gitops-treeless-cancel-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Ctrl_C_during_a_batched_fetch_that_drips_stops_it_promptly_and_pushes_nothing()
    {
        var file = Blob(TestManifest.Deployment("registry.example.com/team/app:v1"));
        var web = Tree(new TreeEntry("100644", "deployment.yaml", file.Id));
        var apps = Tree(new TreeEntry("40000", "web", web.Id));
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        // The tip's fetch (deepen 1) brings the commit and its root tree alone; the fetch of the trees the read needs drips.
        using var server = new HostileTreelessServer([commit, root], refs) { Drips = body => !body.Contains("deepen", StringComparison.Ordinal) };
        using var cancellation = new CancellationTokenSource();

        var run = Task.Run(() => writer.Deploy(server.Url, "apps/web/deployment.yaml", "registry.example.com/team/app:v2", TimeSpan.FromMinutes(10),
            cancellationToken: cancellation.Token));
        Assert.IsTrue(SpinWait.SpinUntil(() => server.DrippedFetches > 0 || run.IsCompleted, TimeSpan.FromSeconds(60)), "the batched fetch never reached the server");
        Assert.IsFalse(run.IsCompleted, run.Exception?.ToString() ?? "the deploy ended before the drip");
        Thread.Sleep(500); // the drip under way
        var clock = Stopwatch.StartNew();
        cancellation.Cancel();

        Assert.IsTrue(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "still fetching 20 s after Ctrl+C");
        Console.WriteLine($"stopped {clock.ElapsedMilliseconds} ms after the cancellation");
        Assert.IsInstanceOfType<OperationCanceledException>(run.Exception!.InnerException, run.Exception.ToString());
        Assert.AreEqual(1, server.DrippedFetches, "not fetched again after the cancellation");
        Assert.AreEqual(0, server.Pushes.Count, "nothing was pushed");
        writer.AssertHolds();
    }
}
