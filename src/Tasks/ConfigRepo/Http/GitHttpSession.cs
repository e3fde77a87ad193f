using System.Net.Http.Headers;
using System.Text;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// What one libgit2 network call may use over HTTP: the one origin that receives the credentials, the credentials, the
/// pooled client for the proxy and CA settings, and (from <see cref="TransportSession{TSession}"/>) the token that fires
/// at the writer's deadline or on Ctrl+C.
/// </summary>
internal sealed class GitHttpSession(ConfigRepositoryLocation location, GitCredentials? credentials, HttpTransportSettings settings, Deadline deadline,
    long maxReceived)
    : TransportSession<GitHttpSession>(location.DisplayUrl, deadline, maxReceived)
{
    /// <summary>The repository's URL (without credentials), as parsed once from GitOpsConfigRepository.</summary>
    public Uri Repository { get; } = location.HttpUrl ?? throw new ArgumentException("not an http(s) location", nameof(location));

    /// <summary>The only scheme, host and port that get <see cref="Authorization"/>.</summary>
    public Origin Origin { get; } = Origin.Of(location.HttpUrl!);

    public AuthenticationHeaderValue? Authorization { get; } = credentials is null
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Token}")));

    /// <summary>Proxy credentials to send with each request (plain http through a proxy), or null.</summary>
    public AuthenticationHeaderValue? ProxyAuthorization { get; } = settings.Proxy?.PreemptiveAuthorization(location.HttpUrl!);

    /// <summary>The pooled client for this session's proxy and CA settings.</summary>
    public HttpClient Client { get; } = GitHttpTransport.ClientFor(settings);

    protected override IDisposable? Enter() => null;
}

/// <summary>Scheme, host and port: where a credential may be sent (as browsers and git's credential helpers scope them).</summary>
internal readonly record struct Origin(string Scheme, string Host, int Port)
{
    public static Origin Of(Uri uri) => new(uri.Scheme.ToLowerInvariant(), uri.IdnHost.ToLowerInvariant(), uri.Port);

    public override string ToString() => $"{Scheme}://{Host}:{Port}";
}
