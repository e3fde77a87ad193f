using System.Diagnostics;
using System.Text;

namespace GitOps.Build.Tests.Infrastructure;

/// <summary>
/// A child left running for a test that acts on it meanwhile (Ctrl+C), started as <see cref="ProcessRunner"/> starts
/// every child: its output (both streams) as it comes; disposing kills what is still running, with its children.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private RunningProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // No interactive input: a prompt must fail instead of hanging the test.
        process.StandardInput.Close();
    }

    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment) =>
        new(Process.Start(ProcessRunner.StartInfo(fileName, arguments, workingDirectory, environment))
            ?? throw new InvalidOperationException($"Could not start '{fileName}'."));

    /// <summary>Both streams so far.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    public int ExitCode => process.ExitCode;

    /// <summary>Whether <paramref name="text"/> appeared in <see cref="Output"/> within <paramref name="timeout"/>.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout) =>
        SpinWait.SpinUntil(() => Output.Contains(text, StringComparison.Ordinal), timeout);

    /// <summary>Ctrl+C: SIGINT, as a terminal sends it.</summary>
    public void Interrupt() =>
        Assert.IsTrue(ProcessRunner.Run("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Succeeded);

    /// <summary>Whether it ended within <paramref name="timeout"/>; when it did, <see cref="Output"/> is complete.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return false;
        process.WaitForExit(); // the end of the redirected streams
        return true;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
