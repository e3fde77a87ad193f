using System.Text.RegularExpressions;

namespace GitOps.Build.Diagnostics;

/// <summary>Removes credentials from URLs before they are shown.</summary>
internal static partial class UrlRedactor
{
    /// <summary>
    /// Strips the user-info part (<c>user:password@</c>, or a bare token as <c>token@</c>) from every URL in
    /// <paramref name="url"/>; works on a single URL as well as on a message that contains URLs.
    /// </summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return UserInfo().Replace(url, string.Empty);
    }

    // After "scheme://", everything up to the last '@' before the host ends (at '/', '?', '#' or whitespace):
    // a password may itself contain an unescaped '@'.
    [GeneratedRegex(@"(?<=\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
