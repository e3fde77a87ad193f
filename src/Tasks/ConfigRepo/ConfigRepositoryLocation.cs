using System.Text.RegularExpressions;
using GitOps.Build.ConfigRepo.Ssh;
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
/// GitOpsConfigRepository, parsed once by the task that receives it and carried as this value down to the push:
/// which transport, the URL handed to libgit2 (never with credentials in it, so they cannot reach the clone's config
/// or libgit2's messages), the URL to show (the one redaction), and the credentials the URL carried.
/// Record equality: the early clone is matched to its write-back by this value.
/// </summary>
internal sealed partial record ConfigRepositoryLocation(string CloneUrl, string DisplayUrl, ConfigTransport Transport, GitCredentials? EmbeddedCredentials)
{
    /// <summary>HTTP(S) servers take a shallow (depth 1) fetch; libgit2's local transport refuses one.</summary>
    public bool IsHttp => Transport is ConfigTransport.Http or ConfigTransport.Https;

    /// <summary>ssh:// or scp-style: reached through the system's ssh (see <see cref="GitSshTransport"/>).</summary>
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
        if (SshAddress.TryParse(url) is not null)
            return new ConfigRepositoryLocation(SshAddress.WithoutPassword(url), display, ConfigTransport.Ssh, EmbeddedCredentials: null);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            // "host:path" that is not scp-style SSH ("ftp:x") is some other scheme. A drive letter is a path.
            if (WindowsDrive().IsMatch(url) || !SchemeOrScpPrefix().IsMatch(url))
                return Local(Path.GetFullPath(url), display);
            throw new GitOpsException(Errors.ConfigRepositorySchemeUnsupported, display);
        }

        switch (url[..schemeEnd].ToLowerInvariant())
        {
            case "http":
            case "https":
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
                    throw new GitOpsException(Errors.ConfigRepositorySchemeUnsupported, display);
                var transport = uri.Scheme == Uri.UriSchemeHttps ? ConfigTransport.Https : ConfigTransport.Http;
                return new ConfigRepositoryLocation(display, display, transport, CredentialsIn(uri));
            case "file":
                if (!Uri.TryCreate(url, UriKind.Absolute, out var fileUri))
                    throw new GitOpsException(Errors.ConfigRepositoryNotFound, display);
                return Local(fileUri.LocalPath, display) with { CloneUrl = display };
            default:
                throw new GitOpsException(Errors.ConfigRepositorySchemeUnsupported, display);
        }
    }

    // libgit2 reports a missing local path as "unsupported URL protocol": say what is really wrong.
    private static ConfigRepositoryLocation Local(string path, string display) =>
        Directory.Exists(path)
            ? new ConfigRepositoryLocation(path, display, ConfigTransport.File, EmbeddedCredentials: null)
            : throw new GitOpsException(Errors.ConfigRepositoryNotFound, display);

    /// <summary>The credentials sent to this repository: the configured ones (GITOPS_TOKEN), else those the URL carried.</summary>
    internal GitCredentials? Credentials(GitCredentials? configured) => configured ?? EmbeddedCredentials;

    /// <summary>https://user:token@host/… still works when no token is configured, without putting the token in the clone.</summary>
    private static GitCredentials? CredentialsIn(Uri uri)
    {
        var colon = uri.UserInfo.IndexOf(':');
        return colon <= 0
            ? null
            : new GitCredentials(Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
    }

    [GeneratedRegex(@"^[A-Za-z]:[\\/]")]
    private static partial Regex WindowsDrive();

    [GeneratedRegex(@"^[^/\\]*:")]
    private static partial Regex SchemeOrScpPrefix();
}
