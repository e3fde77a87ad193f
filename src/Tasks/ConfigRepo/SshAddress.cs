using System.Text.RegularExpressions;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Where an SSH config repository is: the login (<c>user@host</c>), the port, and the path as git sends it to
/// git-upload-pack. As git: <c>ssh://host/~/x</c> and scp-style <c>host:x</c> name paths relative to the login's home
/// (<c>~/x</c> and <c>x</c>), <c>ssh://host/srv/x</c> the absolute path <c>/srv/x</c>.
/// </summary>
internal sealed partial record SshAddress(string? User, string Host, int? Port, string Path)
{
    /// <summary>Schemes libgit2 routes to its SSH transport.</summary>
    public static readonly string[] Schemes = ["ssh", "ssh+git", "git+ssh"];

    /// <summary>The address in an ssh:// or scp-style URL; null when <paramref name="url"/> is neither.</summary>
    public static SshAddress? TryParse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        return schemeEnd < 0 ? TryParseScp(url)
            : Schemes.Contains(url[..schemeEnd].ToLowerInvariant()) ? TryParseUrl(url)
            : null;
    }

    /// <summary>user@host, as ssh's destination argument.</summary>
    public string Destination => User is null ? Host : $"{User}@{Host}";

    // The user information ends where UrlRedactor says; a password in it is dropped (ssh never sends one: batch mode, keys only).
    private static SshAddress? TryParseUrl(string url)
    {
        var (userInfo, address) = UrlRedactor.SplitUserInfo(url);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return null;
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        // git: "ssh://host/~user/x" is relative to a home directory, so the leading '/' goes.
        if (path.StartsWith("/~", StringComparison.Ordinal))
            path = path[1..];
        var user = string.IsNullOrEmpty(userInfo) ? null : Uri.UnescapeDataString(userInfo.Split(':')[0]);
        // IPv6 hosts come back in brackets; ssh wants them bare.
        return Checked(user, uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port, path);
    }

    private static SshAddress? TryParseScp(string url)
    {
        var match = ScpStyle().Match(url);
        if (!match.Success)
            return null;
        var user = match.Groups["user"].Success ? match.Groups["user"].Value : null;
        var host = match.Groups["host"].Value;
        // "ftp:x" or "c:x" could be anything: without a user, only a host name with a dot (or an IPv6 literal) is SSH.
        if (user is null && !host.Contains('.') && !match.Groups["v6"].Success)
            return null;
        return Checked(user, host, null, match.Groups["path"].Value);
    }

    // Neither may start with '-': ssh would take it for an option (CVE-2017-1000117).
    private static SshAddress? Checked(string? user, string host, int? port, string path) =>
        host.StartsWith('-') || user?.StartsWith('-') == true || path.Length == 0 || path == "/" ? null : new SshAddress(user, host, port, path);

    [GeneratedRegex(@"^(?:(?<user>[^@/:\s]+)@)?(?:\[(?<v6>)(?<host>[^\]/\s]+)\]|(?<host>[^@/:\[\]\s]+)):(?<path>[^\s].*)$")]
    private static partial Regex ScpStyle();
}
