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

    /// <remarks>
    /// <paramref name="protocolV2"/> asks the server for git's protocol v2 (GIT_PROTOCOL=version=2 through ssh's SetEnv;
    /// the server's sshd passes it on only with AcceptEnv GIT_PROTOCOL, else the service answers in v0). Only our own
    /// wire code speaks v2, never libgit2.
    /// </remarks>
    public static SshProcess Start(GitSshSession session, SshAddress address, string service, bool protocolV2 = false)
    {
        // ssh, and a sharing master that outlives it, get none of the build's secrets in their environment.
        var start = ChildProcess.StartInfo(session.Program,
            Arguments(session.Files, address, service, [.. session.Share?.Arguments(session.Remaining) ?? [], .. protocolV2 ? ProtocolV2Option : []]));

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

    /// <summary>
    /// ssh's command line: batch mode (never a prompt), strict host keys, only the given key when there is one. Paths go
    /// as quoted option values (<see cref="SshOptionValue"/>): -i would be %-expanded all the same, unquoted.
    /// </summary>
    internal static IReadOnlyList<string> Arguments(SshIdentityFiles files, SshAddress address, string service, IEnumerable<string>? sharing = null)
    {
        var arguments = new List<string> { "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes" };
        arguments.AddRange(sharing ?? []);
        if (files.KnownHostsFile is { } knownHosts)
            arguments.AddRange(SshOptionValue.Path("UserKnownHostsFile", knownHosts));
        if (files.KeyFile is { } key)
            arguments.AddRange([.. SshOptionValue.Path("IdentityFile", key), "-o", "IdentitiesOnly=yes"]);
        if (address.Port is { } port)
            arguments.AddRange(["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        // "--" ends the options, so a host can never be read as one (SshAddress refuses a leading '-' as well).
        arguments.AddRange(["--", address.Destination, $"{service} {Quote(address.Path)}"]);
        return arguments;
    }

    private static readonly string[] ProtocolV2Option = ["-o", "SetEnv=GIT_PROTOCOL=version=2"];

    /// <summary>Quotes for the remote shell as git does (sq_quote): '...' with ' and ! escaped.</summary>
    internal static string Quote(string path) =>
        "'" + path.Replace("'", @"'\''", StringComparison.Ordinal).Replace("!", @"'\!'", StringComparison.Ordinal) + "'";

    public int Read(byte[] buffer, int count) => Read(buffer.AsMemory(0, count));

    public int Read(Memory<byte> destination)
    {
        int read;
        try
        {
            read = Wait(process.StandardOutput.BaseStream.ReadAsync(destination, session.Token).AsTask());
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

    /// <summary>The remote command's exit code once ssh has exited (git dies with 128; ssh's own failures are 255); null while it runs.</summary>
    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>Ends the request (end of file on the service's input) and waits, bounded by the session, for ssh to exit.</summary>
    public void Finish()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Gone already.
        }
        Wait(process.WaitForExitAsync(session.Token));
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
