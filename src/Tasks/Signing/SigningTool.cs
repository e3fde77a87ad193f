using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Signing;

/// <summary>What a signing tool printed and returned.</summary>
internal sealed record SigningToolResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The tool's own words for an error message: stderr's last lines, status lines left out.</summary>
    public string Reason
    {
        get
        {
            var lines = Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => !line.StartsWith("[GNUPG:]", StringComparison.Ordinal)).TakeLast(3).ToList();
            return lines.Count == 0 ? $"exit code {ExitCode}" : string.Join(" ", lines);
        }
    }
}

/// <summary>
/// Runs ssh-keygen or gpg: found on the PATH the build sees, input on stdin, English messages, and a bounded wait
/// after which the process is killed. Secrets go in on stdin or in the child's environment, never as arguments.
/// </summary>
internal sealed class SigningTool
{
    private readonly string format;

    private SigningTool(string format, string name, string path)
    {
        this.format = format;
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>Finds <paramref name="name"/> on PATH, or throws GITOPS058.</summary>
    public static SigningTool Find(string format, string name, string package, Func<string, string?> getEnvironmentVariable)
    {
        var directories = (getEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : new[] { name };
        var path = directories.SelectMany(directory => names.Select(candidate => System.IO.Path.Combine(directory, candidate)))
            .FirstOrDefault(File.Exists);
        return path is null ? throw new GitOpsException(Errors.SigningToolMissing, format, name, package) : new SigningTool(format, name, path);
    }

    /// <summary>Another program of the same package, in the same directory (gpgconf next to gpg), if it is there.</summary>
    public SigningTool? Sibling(string name)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, OperatingSystem.IsWindows() ? name + ".exe" : name);
        return File.Exists(path) ? new SigningTool(format, name, path) : null;
    }

    /// <param name="arguments">The tool's arguments (never a secret: those go through <paramref name="input"/> or files).</param>
    /// <param name="input">Written to the tool's standard input, UTF-8 without a byte order mark.</param>
    /// <param name="timeout">The longest wait; then the process tree is killed and GITOPS059 says so.</param>
    /// <param name="cancellationToken">Ctrl+C: the process tree is killed and OperationCanceledException thrown.</param>
    /// <param name="environment">Variables added to the tool's environment.</param>
    public SigningToolResult Run(IEnumerable<string> arguments, string? input, TimeSpan timeout, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // None of the build's secrets: the tool (and the gpg-agent gpg starts, which outlives it) gets only what
        // environment adds back.
        var startInfo = ChildProcess.StartInfo(Path, arguments);
        startInfo.StandardOutputEncoding = Encoding.UTF8;
        startInfo.StandardErrorEncoding = Encoding.UTF8;
        // English messages: their words are matched to tell a wrong passphrase from an unreadable key.
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANGUAGE"] = "C";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            startInfo.Environment[key] = value;

        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (Win32Exception e)
        {
            throw new GitOpsException(e, Errors.SigningToolMissing, format, Name, Name == "gpg" ? "gnupg" : "openssh-client");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            try
            {
                // UTF-8 without a byte order mark: the commit content is signed byte for byte.
                using (var stdin = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)))
                    stdin.Write(input ?? "");
            }
            catch (IOException)
            {
                // The tool exited without reading its input; its exit code and stderr say why.
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(timeout);
            try
            {
                process.WaitForExitAsync(stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                cancellationToken.ThrowIfCancellationRequested();
                throw new GitOpsException(Errors.SigningFailed, Name, $"it did not finish within {timeout.TotalSeconds:0} seconds and was stopped",
                    "that the key needs no interactive prompt (a passphrase goes in GITOPS_SIGNING_PASSPHRASE), or raise GitOpsConfigTimeout");
            }
            process.WaitForExit();
            return new SigningToolResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }
}
