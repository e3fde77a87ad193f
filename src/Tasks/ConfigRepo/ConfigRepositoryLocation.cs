using System.Text.RegularExpressions;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>How the config repository is reached.</summary>
internal enum ConfigTransport
{
    Https,
    Http,
    /// <summary>A local path or a file:// URL.</summary>
    File,
    /// <summary>ssh:// or scp-style user@host:path, through the system's ssh.</summary>
    Ssh,
}

/// <summary>
/// GitOpsConfigRepository, parsed and redacted by <see cref="Parse"/>, and handed as this value to the clone, the
/// transports and the push: the transport, the address in its typed form (<see cref="HttpUrl"/>, <see cref="Ssh"/> or
/// <see cref="LocalPath"/>, never with credentials in it, so they cannot reach the clone's config or libgit2's
/// messages), the URL to show, and the credentials the URL carried. Nothing downstream parses the URL again.
/// Record equality: the early clone is matched to its write-back by this value.
/// </summary>
internal sealed partial record ConfigRepositoryLocation
{
    private ConfigRepositoryLocation(ConfigTransport transport, string displayUrl)
    {
        Transport = transport;
        DisplayUrl = displayUrl;
    }

    public ConfigTransport Transport { get; }

    /// <summary>The URL as messages, logs and result files show it: <see cref="UrlRedactor.Redact"/> of the input, once.</summary>
    public string DisplayUrl { get; }

    /// <summary>Credentials the URL carried (user:password@), taken out of it.</summary>
    public GitCredentials? EmbeddedCredentials { get; private init; }

    /// <summary>http(s): the URL without user information.</summary>
    public Uri? HttpUrl { get; private init; }

    /// <summary>ssh:// or scp-style: the login, port and path.</summary>
    public SshAddress? Ssh { get; private init; }

    /// <summary>A local path or file:// URL: the directory.</summary>
    public string? LocalPath { get; private init; }

    /// <summary>HTTP(S) servers take a shallow (depth 1) fetch; libgit2's local transport refuses one.</summary>
    public bool IsHttp => Transport is ConfigTransport.Http or ConfigTransport.Https;

    /// <summary>ssh:// or scp-style: reached through the system's ssh.</summary>
    public bool IsSsh => Transport is ConfigTransport.Ssh;

    /// <exception cref="GitOpsException">
    /// GITOPS001 when blank, GITOPS025 for a scheme the writer does not speak, GITOPS024 for a local path that does not exist.
    /// </exception>
    public static ConfigRepositoryLocation Parse(string? repositoryUrl)
    {
        var url = repositoryUrl?.Trim();
        if (string.IsNullOrEmpty(url))
            throw new GitOpsException(Errors.ConfigRepositoryMissing);
        // A NUL would cut the address short in libgit2 (GITOPS035).
        TextRule.RejectControlCharacters(url, "GitOpsConfigRepository");

        var display = UrlRedactor.Redact(url);
        if (SshAddress.TryParse(url) is { } ssh)
            return new ConfigRepositoryLocation(ConfigTransport.Ssh, display) { Ssh = ssh };
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            // "host:path" that is not scp-style SSH ("ftp:x") is some other scheme. A drive letter is a path.
            if (WindowsDrive().IsMatch(url) || !SchemeOrScpPrefix().IsMatch(url))
                return Local(Path.GetFullPath(url), display);
            throw new GitOpsException(Errors.ConfigRepositorySchemeUnsupported, display);
        }

        // The user information ends where the redactor says, so what is sent and what is shown agree.
        var (userInfo, address) = UrlRedactor.SplitUserInfo(url);
        switch (url[..schemeEnd].ToLowerInvariant())
        {
            case "http":
            case "https":
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
                    throw new GitOpsException(Errors.ConfigRepositorySchemeUnsupported, display);
                var transport = uri.Scheme == Uri.UriSchemeHttps ? ConfigTransport.Https : ConfigTransport.Http;
                return new ConfigRepositoryLocation(transport, display) { HttpUrl = uri, EmbeddedCredentials = CredentialsIn(userInfo) };
            case "file":
                if (!Uri.TryCreate(address, UriKind.Absolute, out var fileUri))
                    throw new GitOpsException(Errors.ConfigRepositoryNotFound, display);
                return Local(fileUri.LocalPath, display);
            default:
                throw new GitOpsException(Errors.ConfigRepositorySchemeUnsupported, display);
        }
    }

    // libgit2 reports a missing local path as "unsupported URL protocol": say what is really wrong.
    private static ConfigRepositoryLocation Local(string path, string display) =>
        Directory.Exists(path)
            ? new ConfigRepositoryLocation(ConfigTransport.File, display) { LocalPath = path }
            : throw new GitOpsException(Errors.ConfigRepositoryNotFound, display);

    /// <summary>The credentials sent to this repository: the configured ones (GITOPS_TOKEN), else those the URL carried.</summary>
    internal GitCredentials? Credentials(GitCredentials? configured) => configured ?? EmbeddedCredentials;

    /// <summary>https://user:token@host/… still works when no token is configured, without putting the token in the clone.</summary>
    private static GitCredentials? CredentialsIn(string? userInfo)
    {
        var colon = userInfo?.IndexOf(':') ?? -1;
        return colon <= 0
            ? null
            : new GitCredentials(Uri.UnescapeDataString(userInfo![..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    [GeneratedRegex(@"^[A-Za-z]:[\\/]")]
    private static partial Regex WindowsDrive();

    [GeneratedRegex(@"^[^/\\]*:")]
    private static partial Regex SchemeOrScpPrefix();
}
