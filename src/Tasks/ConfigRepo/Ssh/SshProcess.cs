using System.ComponentModel;
using System.Diagnostics;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// One run of the system's OpenSSH client executing git-upload-pack or git-receive-pack on the server: its stdin and
/// stdout are the connection, its stderr the reason when it fails. Every wait ends at the session's token, and then the
/// process (and anything it started, e.g. a ProxyCommand) is killed.
/// </summary>
internal sealed class SshProcess : IDisposable
{
    public const string UploadPack = "git-upload-pack";
    public const string ReceivePack = "git-receive-pack";

    // ssh says why at the end, after any banner: the last lines are kept.
    private const int MaxStderrLines = 50;

    private static readonly string[] SecretVariables = ["GITOPS_SSH_KEY", "GITOPS_TOKEN", "GITOPS_FORGE_TOKEN", "GITOPS_GITHUB_APP_PRIVATE_KEY"];

    private readonly GitSshSession session;
    private readonly Process process;
    private readonly Queue<string> stderr = new();
    private int disposed;

    private SshProcess(GitSshSession session, Process process, string service)
    {
        this.session = session;
        this.process = process;
        Service = service;
    }

    public string Service { get; }

    public static SshProcess Start(GitSshSession session, SshAddress address, string service)
    {
        var start = new ProcessStartInfo(session.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(session.Files, address, service, session.Share?.Arguments(session.Remaining)))
            start.ArgumentList.Add(argument);
        // ssh, and a sharing master that outlives it, need none of the build's secrets in their environment.
        foreach (var secret in SecretVariables)
            start.Environment.Remove(secret);

        var process = new Process { StartInfo = start };
        var ssh = new SshProcess(session, process, service);
        process.ErrorDataReceived += (_, line) => ssh.OnStderr(line.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new GitOpsException(e, Errors.SshClientMissing, session.DisplayUrl, session.Program, e.Message);
        }
        process.BeginErrorReadLine();
        return ssh;
    }

    /// <summary>ssh's command line: batch mode (never a prompt), strict host keys, only the given key when there is one.</summary>
    internal static IReadOnlyList<string> Arguments(SshIdentityFiles files, SshAddress address, string service, IEnumerable<string>? sharing = null)
    {
        var arguments = new List<string> { "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes" };
        arguments.AddRange(sharing ?? []);
        if (files.KnownHostsFile is { } knownHosts)
            arguments.AddRange(["-o", "UserKnownHostsFile=" + knownHosts]);
        if (files.KeyFile is { } key)
            arguments.AddRange(["-i", key, "-o", "IdentitiesOnly=yes"]);
        if (address.Port is { } port)
            arguments.AddRange(["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        // "--" ends the options, so a host can never be read as one (SshAddress refuses a leading '-' as well).
        arguments.AddRange(["--", address.Destination, $"{service} {Quote(address.Path)}"]);
        return arguments;
    }

    /// <summary>Quotes for the remote shell as git does (sq_quote): '...' with ' and ! escaped.</summary>
    internal static string Quote(string path) =>
        "'" + path.Replace("'", @"'\''", StringComparison.Ordinal).Replace("!", @"'\!'", StringComparison.Ordinal) + "'";

    public int Read(byte[] buffer, int count)
    {
        int read;
        try
        {
            read = Wait(process.StandardOutput.BaseStream.ReadAsync(buffer.AsMemory(0, count), session.Token).AsTask());
        }
        catch (IOException e)
        {
            throw Failure(e);
        }
        // End of output: ssh exited, or the server closed the channel. A failed login ends here, before any byte.
        return read > 0 ? read : EndOfOutput();
    }

    public void Write(byte[] buffer, int count)
    {
        try
        {
            Wait(WriteAndFlush(buffer, count));
        }
        catch (IOException e) when (!ExitedCleanly())
        {
            // A broken pipe: ssh is gone, and its stderr says why.
            throw Failure(e);
        }
        catch (IOException)
        {
            // ssh and the git command behind it already finished successfully: what was left to say (the flush that
            // ends a listing of the refs) has no one to hear it and needs none.
        }
    }

    private bool ExitedCleanly() => process.WaitForExit(ExitWait) && process.ExitCode == 0;

    private static readonly TimeSpan ExitWait = TimeSpan.FromMilliseconds(500);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
            return;
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited meanwhile.
        }
        process.Dispose();
    }

    private int EndOfOutput()
    {
        Wait(process.WaitForExitAsync(session.Token));
        if (process.ExitCode == 0)
            return 0;
        throw Failure(null);
    }

    /// <summary>Why ssh failed, from its exit and stderr: a coded error when the reason is one the user can fix.</summary>
    private Exception Failure(Exception? transport)
    {
        try
        {
            // ssh is gone or going: wait (briefly, and never past the token) for its exit code and the rest of stderr.
            process.WaitForExitAsync(session.Token).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The token fired meanwhile: classify what stderr holds so far.
        }
        string[] lines;
        lock (stderr) lines = [.. stderr];
        return SshFailure.Classify(session.DisplayUrl, Service, process.HasExited ? process.ExitCode : null, lines, transport);
    }

    private void OnStderr(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        lock (stderr)
        {
            if (stderr.Count == MaxStderrLines)
                stderr.Dequeue();
            stderr.Enqueue(line.Trim());
        }
    }

    private async Task WriteAndFlush(byte[] buffer, int count)
    {
        var stdin = process.StandardInput.BaseStream;
        await stdin.WriteAsync(buffer.AsMemory(0, count), session.Token).ConfigureAwait(false);
        await stdin.FlushAsync(session.Token).ConfigureAwait(false);
    }

    /// <summary>Blocks libgit2's thread on a transfer; at the token, kills ssh so nothing of it outlives the wait.</summary>
    private T Wait<T>(Task<T> transfer)
    {
        Wait((Task)transfer);
        return transfer.Result;
    }

    private void Wait(Task transfer)
    {
        try
        {
            transfer.WaitAsync(session.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            Dispose();
            throw;
        }
    }
}
