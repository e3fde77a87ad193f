using System.Diagnostics;
using System.Text;
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
        var environment = SdkPackage.DotnetEnvironment();
        environment["TMPDIR"] = temp;
        _ = SdkPackage.FeedDirectory;

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = app.ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
                     $"-p:GitOpsConfigRepository={server.BaseUrl}/config.git", "-p:GitOpsConfigTimeout=600" })
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.IsTrue(SpinWait.SpinUntil(() => !server.Requests.IsEmpty, TimeSpan.FromSeconds(60)), "the clone never reached the server");
            Assert.AreEqual(1, Directory.GetDirectories(temp, "gitops-config-*").Length, "a clone is under way");
            var clock = Stopwatch.StartNew();
            ProcessRunnerSignal.Interrupt(process.Id);

            Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "still running 20 s after Ctrl+C:\n" + output);
            TestContext.WriteLine($"exited {clock.Elapsed.TotalSeconds:0.00} s after SIGINT");
            process.WaitForExit();
            string text;
            lock (output) text = output.ToString();
            Assert.AreNotEqual(0, process.ExitCode, text);
            StringAssert.Contains(text, "GITOPS032");
            Assert.IsFalse(text.Contains("MSB4018", StringComparison.Ordinal), text);
            CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetDirectories(temp, "gitops-config-*"), "the clone is removed");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}

/// <summary>Ctrl+C for a child process: SIGINT, as a terminal sends it.</summary>
internal static class ProcessRunnerSignal
{
    public static void Interrupt(int pid) =>
        Assert.IsTrue(Infrastructure.ProcessRunner.Run("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Succeeded);
}
