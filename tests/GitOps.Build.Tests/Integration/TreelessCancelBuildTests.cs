using System.Diagnostics;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Tests.ConfigRepo.Hostile;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// What a user sees on Ctrl+C while the treeless clone's batched fetch (the trees on GitOpsManifestPath's way, one
/// request) is dripped by the server: `dotnet msbuild -t:GitOpsUpdateConfig` ends at once with GITOPS032, nothing
/// pushed and no clone left. The bound asserted is a hang detector; the measured time is printed.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class TreelessCancelBuildTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Ctrl_C_during_a_dripped_batched_fetch_ends_the_build_with_GITOPS032_and_pushes_nothing()
    {
        using var app = AppWorkspace.FromSample();
        var file = Blob(TestManifest.Deployment("127.0.0.1:5000/team/sample-app:0000001"));
        var sample = Tree(new TreeEntry("100644", "deployment.yaml", file.Id));
        var apps = Tree(new TreeEntry("40000", "sample-app", sample.Id));
        var root = Tree(new TreeEntry("40000", "apps", apps.Id));
        var (commit, refs) = Tip(root);
        using var server = new HostileTreelessServer([commit, root], refs) { Drips = body => !body.Contains("deepen", StringComparison.Ordinal) };
        var temp = Path.Combine(app.Root, "tmp");
        Directory.CreateDirectory(temp);
        using var process = app.StartDotnet(new Dictionary<string, string?> { ["TMPDIR"] = temp },
            "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={server.Url}", "-p:GitOpsConfigBranch=main", "-p:GitOpsConfigTimeout=600");

        Assert.IsTrue(SpinWait.SpinUntil(() => server.DrippedFetches > 0 || process.WaitForExit(TimeSpan.Zero), TimeSpan.FromSeconds(120)),
            "the batched fetch never reached the server:\n" + process.Output);
        Assert.AreEqual(1, server.DrippedFetches, process.Output);
        Thread.Sleep(500);
        var clock = Stopwatch.StartNew();
        process.Interrupt();

        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "still running 20 s after Ctrl+C:\n" + process.Output);
        TestContext.WriteLine($"exited {clock.Elapsed.TotalSeconds:0.00} s after SIGINT");
        var text = process.Output;
        Assert.AreNotEqual(0, process.ExitCode, text);
        StringAssert.Contains(text, "GITOPS032");
        Assert.IsFalse(text.Contains("MSB4018", StringComparison.Ordinal), text);
        Assert.AreEqual(0, server.Pushes.Count, "nothing was pushed");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetDirectories(temp, "gitops-config-*"), "the clone is removed");
    }
}
