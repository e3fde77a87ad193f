using System.Text.RegularExpressions;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Git;

/// <summary>
/// A config repository address checked before any network access: which transport, the URL handed to libgit2
/// (never with credentials in it, so they cannot reach the clone's config or libgit2's messages) and the URL to show.
/// </summary>
internal sealed partial record ConfigRepositoryLocation(string CloneUrl, string DisplayUrl, bool IsHttp, GitCredentials? EmbeddedCredentials)
{
    /// <summary>ssh:// or scp-style: reached through the system's ssh (see <see cref="GitSshTransport"/>).</summary>
    public bool IsSsh { get; private init; }

    public static ConfigRepositoryLocation Parse(string repositoryUrl)
    {
        var url = repositoryUrl?.Trim();
        if (string.IsNullOrEmpty(url))
            throw new GitOpsException(Errors.ConfigRepositoryMissing);

        var display = UrlRedactor.Redact(url);
        if (SshAddress.TryParse(url) is not null)
            return new ConfigRepositoryLocation(SshAddress.WithoutPassword(url), display, IsHttp: false, EmbeddedCredentials: null) { IsSsh = true };
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
                return new ConfigRepositoryLocation(display, display, IsHttp: true, CredentialsIn(uri));
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
            ? new ConfigRepositoryLocation(path, display, IsHttp: false, EmbeddedCredentials: null)
            : throw new GitOpsException(Errors.ConfigRepositoryNotFound, display);

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
