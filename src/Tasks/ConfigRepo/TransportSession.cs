using System.Runtime.ExceptionServices;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// One libgit2 network call (clone, list refs, push) through one of our subtransports (HTTP, SSH). libgit2 creates the
/// subtransports itself, so they find their session through an async-local scope set around the call. The session holds
/// the token that ends every wait at the writer's deadline or on Ctrl+C, and the reason a transfer stopped: libgit2 keeps
/// neither the exception nor its message (it reports "no error").
/// </summary>
internal abstract class TransportSession<TSession>(string displayUrl, Deadline deadline, long maxReceived)
    where TSession : TransportSession<TSession>
{
    private static readonly AsyncLocal<TSession?> Active = new();
    // CancellationTokenSource.CancelAfter takes at most ~24 days.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private Exception? failure;

    /// <summary>The session of the libgit2 call running on this flow; null outside <see cref="Run{T}"/>.</summary>
    public static TSession? Current => Active.Value;

    /// <summary>The repository as messages show it (no credentials).</summary>
    public string DisplayUrl => displayUrl;

    /// <summary>Cancelled at the deadline or on Ctrl+C: every wait of the transport honours it. Set while <see cref="Run{T}"/> runs.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>What the call may receive (<see cref="ReceiveLimit"/>): every read of the transport is counted against it.</summary>
    public ReceiveLimit Received { get; } = new(displayUrl, maxReceived);

    /// <summary>What is left of the writer's time.</summary>
    public TimeSpan Remaining => deadline.Remaining;

    /// <summary>Remembers why a transfer stopped (the first reason wins) and returns it, for <c>throw session.Fail(e)</c>.</summary>
    public Exception Fail(Exception reason)
    {
        Interlocked.CompareExchange(ref failure, reason, null);
        return reason;
    }

    /// <summary>
    /// Runs a libgit2 call with this session visible to the subtransport. A failure the transport recorded is rethrown:
    /// a coded error as itself, a stop at the deadline as GITOPS030, Ctrl+C as <see cref="OperationCanceledException"/>,
    /// anything else worded as libgit2's own transport would have failed (GitErrorClassifier tells retryable network
    /// trouble apart).
    /// </summary>
    public T Run<T>(Func<T> operation)
    {
        using var call = Enter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        stop.CancelAfter(deadline.Remaining < MaxWait ? deadline.Remaining : MaxWait);
        Token = stop.Token;
        var previous = Active.Value;
        Active.Value = (TSession)this;
        try
        {
            return operation();
        }
        catch (LibGit2SharpException) when (failure is not null)
        {
            if (failure is OperationCanceledException)
                throw deadline.Stopped(DisplayUrl);
            if (failure is GitOpsException)
                ExceptionDispatchInfo.Throw(failure);
            throw new LibGit2SharpException(Describe(failure), failure);
        }
        finally
        {
            Active.Value = previous;
        }
    }

    public void Run(Action operation) => Run(() =>
    {
        operation();
        return 0;
    });

    /// <summary>Registers the subtransport and sets up what one call needs; disposing the result cleans up after it.</summary>
    protected abstract IDisposable? Enter();

    // The whole chain: HttpClient says "An error occurred while sending the request." and the reason only inside.
    private static string Describe(Exception failure)
    {
        var messages = new List<string>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message)) messages.Add(e.Message);
        }
        return UrlRedactor.Redact(string.Join(": ", messages).ReplaceLineEndings(" "));
    }
}
