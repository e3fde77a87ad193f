using System.Diagnostics;
using System.Text;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>Runs the real git CLI, isolated from the machine's and user's configuration.</summary>
internal static class GitCli
{
    public static string Run(string workingDirectory, params string[] arguments) =>
        Encoding.UTF8.GetString(RunBytes(workingDirectory, arguments)).TrimEnd('\n');

    public static byte[] RunBytes(string workingDirectory, params string[] arguments) => RunBytes(workingDirectory, null, null, arguments);

    /// <summary>With <paramref name="input"/> on stdin and <paramref name="environment"/> added (GIT_PROTOCOL for a server side, e.g.).</summary>
    public static byte[] RunBytes(string workingDirectory, byte[]? input, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = input is not null,
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            startInfo.Environment[name] = value;

        using var process = Process.Start(startInfo)!;
        using var output = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        var written = input is null ? Task.CompletedTask : Task.Run(() =>
        {
            using var stdin = process.StandardInput.BaseStream;
            stdin.Write(input);
        });
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        written.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
        return output.ToArray();
    }
}
