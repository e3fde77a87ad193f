using System.Collections.Concurrent;
using System.Net;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// Git's smart HTTP protocol for libgit2, over <see cref="HttpClient"/> instead of libgit2's own HTTP stack, because:
/// every wait honours the writer's deadline and Ctrl+C (libgit2 blocks in a socket read with no limit); credentials go
/// only to the repository's origin (libgit2 answers any host's 401 with them, redirects included); proxies come from
/// https_proxy/http_proxy/no_proxy as for git and curl, and a private CA is trusted (GITOPS_CA_BUNDLE); and requests are not delayed by Nagle (libgit2 writes a POST's
/// headers and body separately without TCP_NODELAY: ~40 ms per request).
/// </summary>
/// <param name="settings">The proxy and CA trust every clone through this transport uses.</param>
internal sealed class GitHttpTransport(HttpTransportSettings settings) : IRemoteTransport
{
    public const string UserAgent = "git/2.0 (GitOps.Build)";

    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly ConcurrentDictionary<HttpTransportSettings, HttpClient> Clients = new();

    /// <summary>One client per proxy and CA setup, for the process: its connections are reused from the clone to the push.</summary>
    public static HttpClient ClientFor(HttpTransportSettings settings) => Clients.GetOrAdd(settings, NewClient);

    private static HttpClient NewClient(HttpTransportSettings settings) =>
        new(NewHandler(settings))
        {
            // Each request waits on the session's token instead: HttpClient's own limit would be a second clock.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>The one HTTP stack for these settings, shared with the forge's API client (Forge/ForgeHttp).</summary>
    public static SocketsHttpHandler NewHandler(HttpTransportSettings settings) =>
        new()
        {
            // Redirects are followed by the caller (GitHttpStream, Octokit), which decides where credentials may go.
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // The environment is read by the task (EnvironmentProxy), not cached process-wide as HttpClient.DefaultProxy is.
            UseProxy = settings.Proxy is not null,
            Proxy = settings.Proxy?.ToWebProxy(),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            SslOptions = { RemoteCertificateValidationCallback = ServerCertificateCheck.For(settings.CaCertificates) },
        };

    /// <summary>Registers <see cref="GitHttpSubtransport"/> with libgit2 under this copy's private scheme (once).</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    public bool Reaches(ConfigRepositoryLocation location) => location.IsHttp;

    public IRemoteRoute Open(ConfigRepositoryLocation location, GitCredentials? credentials, string? workDirectory) =>
        new Route(location, credentials, settings);

    private const string Scheme = "http";

    /// <summary>
    /// Each libgit2 call is one <see cref="GitHttpSession"/>, and so is each exchange of our own wire-protocol code
    /// (<see cref="GitHttpExchange"/>); the pooled client keeps the connections between them.
    /// </summary>
    private sealed class Route(ConfigRepositoryLocation location, GitCredentials? credentials, HttpTransportSettings settings) : IRemoteRoute, IWireRoute
    {
        private string? redirectedBase;

        public string LibGit2Url { get; } = PrivateScheme.Wrap(Scheme, location.DisplayUrl);

        public WireCounters Counters { get; } = new();

        public bool GreetsWithEveryAnswer => false;

        // The pooled client's connections serve libgit2's calls as well.
        public void EndExchanges()
        {
        }

        public Wire.V2Capabilities? Greeting => null;

        public T Run<T>(Deadline deadline, long maxReceived, Func<T> operation)
        {
            // libgit2 reaches the transport through its registration; our own exchanges (Exchange) need none.
            EnsureRegistered();
            return new GitHttpSession(location, credentials, settings, deadline, maxReceived).Run(operation);
        }

        public byte[] Exchange(string service, byte[]? request, Deadline deadline, long maxAnswerBytes)
        {
            var session = new GitHttpSession(location, credentials, settings, deadline, maxAnswerBytes);
            var exchange = new GitHttpExchange(session, redirectedBase ?? session.Repository.AbsoluteUri.TrimEnd('/'), Counters);
            var answer = session.Run(() => exchange.Send(service == GitService.UploadPack.Name ? GitService.UploadPack : GitService.ReceivePack, request, maxAnswerBytes));
            redirectedBase = exchange.RedirectedBase ?? redirectedBase;
            return answer;
        }

        public void Dispose()
        {
        }
    }

    private static bool Register()
    {
        GlobalSettings.RegisterSmartSubtransport<GitHttpSubtransport>(PrivateScheme.For(Scheme));
        return true;
    }
}
