using System.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// What a user sees when the config server hangs: `dotnet msbuild -t:GitOpsUpdateConfig` ends at GitOpsConfigTimeout
/// with GITOPS030, and Ctrl+C (SIGINT to the dotnet process) ends it at once with GITOPS032. The bounds asserted are
/// hang detectors; the measured times are printed.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class HungServerBuildTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void GitOpsConfigTimeout_holds_against_a_server_that_accepts_and_never_answers()
    {
        using var app = AppWorkspace.FromSample();
        using var server = LoopbackServer.Silent();
        var clock = Stopwatch.StartNew();

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={server.BaseUrl}/config.git", "-p:GitOpsConfigTimeout=3");

        TestContext.WriteLine($"ended after {clock.Elapsed.TotalSeconds:0.00} s (limit 3 s, including the msbuild start)");
        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS030:");
        Assert.IsFalse(result.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), result.ToString());
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
    }

    [TestMethod]
    public void Ctrl_C_stops_the_config_update_waiting_on_a_silent_server_and_removes_its_clone()
    {
        using var app = AppWorkspace.FromSample();
        using var server = LoopbackServer.Silent();
        var temp = Path.Combine(app.Root, "tmp");
        Directory.CreateDirectory(temp);
        using var process = app.StartDotnet(new Dictionary<string, string?> { ["TMPDIR"] = temp },
            "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={server.BaseUrl}/config.git", "-p:GitOpsConfigTimeout=600");

        Assert.IsTrue(SpinWait.SpinUntil(() => !server.Requests.IsEmpty, TimeSpan.FromSeconds(60)), "the clone never reached the server");
        Assert.AreEqual(1, Directory.GetDirectories(temp, "gitops-config-*").Length, "a clone is under way");
        var clock = Stopwatch.StartNew();
        process.Interrupt();

        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "still running 20 s after Ctrl+C:\n" + process.Output);
        TestContext.WriteLine($"exited {clock.Elapsed.TotalSeconds:0.00} s after SIGINT");
        var text = process.Output;
        Assert.AreNotEqual(0, process.ExitCode, text);
        StringAssert.Contains(text, "GITOPS032");
        Assert.IsFalse(text.Contains("MSB4018", StringComparison.Ordinal), text);
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetDirectories(temp, "gitops-config-*"), "the clone is removed");
    }
}
