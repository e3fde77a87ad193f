using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// What one libgit2 network operation (clone, list refs, push) may use over HTTP: the one origin that receives the
/// credentials, the credentials, and a token that fires at the writer's deadline or on Ctrl+C. libgit2 creates its
/// subtransports itself, so the session reaches them through an async-local scope set around the call.
/// </summary>
internal sealed class GitHttpSession
{
    private static readonly AsyncLocal<GitHttpSession?> Active = new();
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly Deadline deadline;
    private Exception? failure;

    public GitHttpSession(Uri repository, GitCredentials? credentials, HttpTransportSettings settings, Deadline deadline)
    {
        Client = GitHttpTransport.ClientFor(settings);
        ProxyAuthorization = settings.Proxy?.PreemptiveAuthorization(repository);
        Origin = Origin.Of(repository);
        DisplayUrl = UrlRedactor.Redact(repository.ToString());
        Authorization = credentials is null
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Token}")));
        this.deadline = deadline;
    }

    /// <summary>The only scheme, host and port that get <see cref="Authorization"/>.</summary>
    public Origin Origin { get; }

    public string DisplayUrl { get; }

    public AuthenticationHeaderValue? Authorization { get; }

    /// <summary>Proxy credentials to send with each request (plain http through a proxy), or null.</summary>
    public AuthenticationHeaderValue? ProxyAuthorization { get; }

    /// <summary>The pooled client for this session's proxy and CA settings.</summary>
    public HttpClient Client { get; }

    /// <summary>The session of the libgit2 call running on this flow; null outside <see cref="Run{T}"/>.</summary>
    public static GitHttpSession? Current => Active.Value;

    /// <summary>Cancelled at the deadline or on Ctrl+C: every send and read waits on it. Set while <see cref="Run{T}"/> runs.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>
    /// Remembers why a transfer stopped: libgit2 keeps neither the exception nor its message (it reports "no error"),
    /// and some reasons must reach the caller as themselves (a refused redirect, the deadline, Ctrl+C).
    /// </summary>
    public Exception Fail(Exception reason)
    {
        Interlocked.CompareExchange(ref failure, reason, null);
        return reason;
    }

    /// <summary>
    /// Runs a libgit2 call with this session visible to the HTTP subtransport. A failure the transport recorded is
    /// rethrown as itself; a stop at the deadline becomes GITOPS030 and Ctrl+C an <see cref="OperationCanceledException"/>.
    /// </summary>
    public T Run<T>(Func<T> operation)
    {
        GitHttpTransport.EnsureRegistered();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        // CancelAfter takes at most ~24 days.
        stop.CancelAfter(deadline.Remaining < MaxWait ? deadline.Remaining : MaxWait);
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
                throw deadline.Stopped(DisplayUrl);
            if (failure is GitOpsException)
                ExceptionDispatchInfo.Throw(failure);
            // As libgit2's own transport would have failed: GitErrorClassifier tells retryable network trouble apart.
            throw new LibGit2Sharp.LibGit2SharpException(Describe(failure), failure);
        }
        finally
        {
            Active.Value = previous;
        }
    }

    private static string Describe(Exception failure)
    {
        var messages = new List<string>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message)) messages.Add(e.Message);
        }
        return string.Join(": ", messages);
    }

    public void Run(Action operation) => Run(() =>
    {
        operation();
        return 0;
    });
}

/// <summary>Scheme, host and port: where a credential may be sent (as browsers and git's credential helpers scope them).</summary>
internal readonly record struct Origin(string Scheme, string Host, int Port)
{
    public static Origin Of(Uri uri) => new(uri.Scheme.ToLowerInvariant(), uri.IdnHost.ToLowerInvariant(), uri.Port);

    public override string ToString() => $"{Scheme}://{Host}:{Port}";
}
