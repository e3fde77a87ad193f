using System.Diagnostics;
using System.Text;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>Runs the real git CLI, isolated from the machine's and user's configuration.</summary>
internal static class GitCli
{
    public static string Run(string workingDirectory, params string[] arguments) =>
        Encoding.UTF8.GetString(RunBytes(workingDirectory, arguments)).TrimEnd('\n');

    public static byte[] RunBytes(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        startInfo.Environment["GIT_AUTHOR_NAME"] = startInfo.Environment["GIT_COMMITTER_NAME"] = "Other Pipeline";
        startInfo.Environment["GIT_AUTHOR_EMAIL"] = startInfo.Environment["GIT_COMMITTER_EMAIL"] = "other@example.com";

        using var process = Process.Start(startInfo)!;
        using var output = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
        return output.ToArray();
    }
}
