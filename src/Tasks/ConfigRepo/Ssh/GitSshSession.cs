using System.Runtime.ExceptionServices;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// What one libgit2 network operation (clone, list refs, push) over SSH may use: the key and known_hosts files, the
/// ssh program, and a token that fires at the writer's deadline or on Ctrl+C. libgit2 creates its subtransports
/// itself, so the session reaches them through an async-local scope set around the call.
/// </summary>
internal sealed class GitSshSession
{
    private static readonly AsyncLocal<GitSshSession?> Active = new();
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly SshSettings settings;
    private readonly string? workDirectory;
    private readonly Deadline deadline;
    private readonly List<SshProcess> processes = [];
    private Exception? failure;

    public GitSshSession(string displayUrl, SshSettings settings, string? workDirectory, Deadline deadline, SshConnectionShare? share = null)
    {
        DisplayUrl = displayUrl;
        Share = share;
        this.settings = settings;
        this.workDirectory = workDirectory;
        this.deadline = deadline;
    }

    public string DisplayUrl { get; }

    public string Program => settings.Program;

    /// <summary>The login this operation may share with the others of the same clone; null: one login per ssh.</summary>
    public SshConnectionShare? Share { get; }

    /// <summary>What is left of the writer's time.</summary>
    public TimeSpan Remaining => deadline.Remaining;

    /// <summary>The key and known_hosts files for ssh; set while <see cref="Run{T}"/> runs.</summary>
    public SshIdentityFiles Files { get; private set; } = null!;

    /// <summary>The session of the libgit2 call running on this flow; null outside <see cref="Run{T}"/>.</summary>
    public static GitSshSession? Current => Active.Value;

    /// <summary>Cancelled at the deadline or on Ctrl+C: every read and write waits on it. Set while <see cref="Run{T}"/> runs.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>
    /// Remembers why a transfer stopped: libgit2 keeps neither the exception nor its message (it reports "no error"),
    /// and the coded SSH errors must reach the caller as themselves.
    /// </summary>
    public Exception Fail(Exception reason)
    {
        Interlocked.CompareExchange(ref failure, reason, null);
        return reason;
    }

    /// <summary>Starts ssh for one service; the session ends it when the operation returns, if libgit2 did not.</summary>
    public SshProcess Start(SshAddress address, string service)
    {
        var process = SshProcess.Start(this, address, service);
        lock (processes) processes.Add(process);
        return process;
    }

    /// <summary>
    /// Runs a libgit2 call with this session visible to the SSH subtransport. A failure the transport recorded is
    /// rethrown as itself; a stop at the deadline becomes GITOPS030 and Ctrl+C an <see cref="OperationCanceledException"/>.
    /// Key material written for the call is deleted when it returns, however it returns.
    /// </summary>
    public T Run<T>(Func<T> operation)
    {
        GitSshTransport.EnsureRegistered();
        using var files = SshIdentityFiles.Create(settings, workDirectory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        // CancelAfter takes at most ~24 days.
        stop.CancelAfter(deadline.Remaining < MaxWait ? deadline.Remaining : MaxWait);
        Files = files;
        Token = stop.Token;
        var previous = Active.Value;
        Active.Value = this;
        try
        {
            return operation();
        }
        catch (LibGit2Sharp.LibGit2SharpException) when (failure is not null)
        {
            if (failure is OperationCanceledException)
                deadline.ThrowIfExpired(DisplayUrl);
            if (failure is GitOpsException or OperationCanceledException)
                ExceptionDispatchInfo.Throw(failure);
            // As libgit2's own transport would have failed: GitErrorClassifier tells retryable network trouble apart.
            throw new LibGit2Sharp.LibGit2SharpException(GitErrorClassifier.Describe(failure), failure);
        }
        finally
        {
            Active.Value = previous;
            lock (processes)
            {
                foreach (var process in processes)
                    process.Dispose();
                processes.Clear();
            }
        }
    }

    public void Run(Action operation) => Run(() =>
    {
        operation();
        return 0;
    });
}
