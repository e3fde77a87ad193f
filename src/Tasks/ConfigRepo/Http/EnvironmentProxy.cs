using System.Net;
using System.Net.Http.Headers;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// The proxy curl (and so git) would use: <c>https_proxy</c>/<c>HTTPS_PROXY</c> for https URLs, <c>http_proxy</c> for
/// http URLs (lower case only, as curl: a CGI server sets HTTP_PROXY from a request header), <c>all_proxy</c> for
/// either, and <c>no_proxy</c>/<c>NO_PROXY</c> hosts (<c>*</c>, a host name and its subdomains, an address, host:port)
/// going direct. Credentials in the proxy URL go to the proxy only, when it asks for them (407).
/// </summary>
/// <remarks>Plain strings, so equal environments give equal values (one pooled client per proxy setup).</remarks>
internal sealed record EnvironmentProxy(string? HttpProxy, string? HttpsProxy, string NoProxy)
{
    public static EnvironmentProxy? FromEnvironment(Func<string, string?> getVariable)
    {
        string? Read(params string[] names) =>
            names.Select(name => getVariable(name)?.Trim()).FirstOrDefault(value => !string.IsNullOrEmpty(value));

        var all = Read("all_proxy", "ALL_PROXY");
        var http = Validate("http_proxy", Read("http_proxy") ?? all);
        var https = Validate("https_proxy", Read("https_proxy", "HTTPS_PROXY") ?? all);
        return http is null && https is null ? null : new EnvironmentProxy(http, https, Read("no_proxy", "NO_PROXY") ?? "");
    }

    /// <summary>The handler's view: which proxy for a URL, and its credentials.</summary>
    public IWebProxy ToWebProxy() => new Selector(this);

    /// <summary>
    /// Basic credentials for a plain-http request forwarded by the proxy, sent with the request as curl does rather than
    /// after a 407 (which would send every POST body twice). Tunnels (https) authenticate once per connection instead.
    /// </summary>
    public AuthenticationHeaderValue? PreemptiveAuthorization(Uri destination)
    {
        var selector = new Selector(this);
        if (destination.Scheme != Uri.UriSchemeHttp || selector.IsBypassed(destination)
            || selector.Credentials?.GetCredential(destination, "Basic") is not { } credential)
            return null;
        return new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}")));
    }

    /// <summary>Never prints the proxy password.</summary>
    public override string ToString() =>
        $"EnvironmentProxy {{ HttpProxy = {UrlRedactor.Redact(HttpProxy ?? "")}, HttpsProxy = {UrlRedactor.Redact(HttpsProxy ?? "")}, NoProxy = {NoProxy} }}";

    private static string? Validate(string variable, string? value)
    {
        if (value is null) return null;
        // curl takes a bare host:port as http://host:port.
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw new GitOpsException(Errors.ProxyUrlInvalid, variable, UrlRedactor.Redact(value));
        return text;
    }

    private sealed class Selector : IWebProxy
    {
        private readonly Uri? http;
        private readonly Uri? https;
        private readonly string[] bypass;

        public Selector(EnvironmentProxy settings)
        {
            http = settings.HttpProxy is { } h ? new Uri(h) : null;
            https = settings.HttpsProxy is { } s ? new Uri(s) : null;
            bypass = settings.NoProxy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(entry => entry.TrimStart('.').ToLowerInvariant()).ToArray();
            // Both proxies normally share their credentials; the one for https wins when they differ.
            Credentials = CredentialsOf(https) ?? CredentialsOf(http);
        }

        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : WithoutUserInfo(For(destination));

        public bool IsBypassed(Uri host)
        {
            if (For(host) is null) return true;
            var name = host.IdnHost.ToLowerInvariant();
            return bypass.Any(entry => entry == "*" || name == entry || name.EndsWith("." + entry, StringComparison.Ordinal)
                                       || $"{name}:{host.Port}" == entry);
        }

        private Uri? For(Uri destination) => destination.Scheme == Uri.UriSchemeHttps ? https : http;

        private static Uri WithoutUserInfo(Uri? proxy) => new UriBuilder(proxy!) { UserName = "", Password = "" }.Uri;

        private static NetworkCredential? CredentialsOf(Uri? proxy)
        {
            if (proxy is null || proxy.UserInfo.Length == 0) return null;
            var colon = proxy.UserInfo.IndexOf(':');
            return colon < 0
                ? new NetworkCredential(Uri.UnescapeDataString(proxy.UserInfo), "")
                : new NetworkCredential(Uri.UnescapeDataString(proxy.UserInfo[..colon]), Uri.UnescapeDataString(proxy.UserInfo[(colon + 1)..]));
        }
    }
}
