
namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// What one libgit2 network call over SSH may use: the key and known_hosts files, the ssh program, the login it may
/// share with the clone's other calls, and (from <see cref="TransportSession{TSession}"/>) the token that fires at the
/// writer's deadline or on Ctrl+C. Key material written for the call, and the ssh processes it started, are gone when
/// it returns, however it returns.
/// </summary>
internal sealed class GitSshSession(string displayUrl, SshAddress address, SshSettings settings, string? workDirectory, Deadline deadline,
    SshConnectionShare? share = null, long maxReceived = ReceiveLimit.CloneMaxBytes)
    : TransportSession<GitSshSession>(displayUrl, deadline, maxReceived)
{
    private readonly List<SshProcess> processes = [];

    /// <summary>Where ssh logs in, and the path it asks git for, as parsed once from GitOpsConfigRepository.</summary>
    public SshAddress Address => address;

    public string Program => settings.Program;

    /// <summary>The login this operation may share with the others of the same clone; null: one login per ssh.</summary>
    public SshConnectionShare? Share => share;

    /// <summary>The key and known_hosts files for ssh; set while the call runs.</summary>
    public SshIdentityFiles Files { get; private set; } = null!;

    /// <summary>Starts ssh for one service; the session ends it when the call returns, if libgit2 did not.</summary>
    public SshProcess Start(string service, bool protocolV2 = false)
    {
        var process = SshProcess.Start(this, address, service, protocolV2);
        lock (processes) processes.Add(process);
        return process;
    }

    protected override IDisposable Enter()
    {
        var files = SshIdentityFiles.Create(settings, workDirectory);
        Files = files;
        return new Cleanup(() =>
        {
            lock (processes)
            {
                foreach (var process in processes)
                    process.Dispose();
                processes.Clear();
            }
            files.Dispose();
        });
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
