using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Build.Diagnostics;

/// <summary>
/// Removes credentials from URLs before they are shown: the one rule for where a URL's user information ends, used to
/// redact every message and value that may hold a URL (errors, warnings, logs, result files, CI outputs), and to split
/// GitOpsConfigRepository into credentials and address (<see cref="SplitUserInfo"/>), so that what is sent and what is
/// shown agree.
/// </summary>
/// <remarks>
/// Users paste passwords and tokens unescaped, so the user information may hold any character, '/', '?', '#' and
/// spaces included, where RFC 3986 would end the authority. It ends at the last '@' of the URL's first word; past that
/// word only when the word cannot be a whole address (no host:port, or nothing after it); and at an '@' after the path
/// started only when a ':' comes before it or a host and a path follow it (<c>https://host/path/with@sign</c> keeps
/// its '@'). When in doubt more is removed, never less.
/// </remarks>
internal static partial class UrlRedactor
{
    /// <summary>
    /// Strips the user information (<c>user:password@</c>, or a bare token as <c>token@</c>) from every URL in
    /// <paramref name="text"/>, and a password from scp-style <c>user:password@host:path</c>; works on a single URL as
    /// well as on a message that contains URLs.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length);
        var copied = 0;
        foreach (Match scheme in SchemeSeparator().Matches(text))
        {
            var start = scheme.Index + scheme.Length;
            if (scheme.Index < copied)
                continue; // inside user information already removed
            var at = UserInfoEnd(text, start);
            if (at < 0)
                continue;
            result.Append(text, copied, start - copied);
            copied = at + 1;
        }
        result.Append(text, copied, text.Length - copied);
        return ScpPassword().Replace(result.ToString(), string.Empty);
    }

    /// <summary>
    /// The user information of the URL <paramref name="url"/> (null when it has none) and the URL without it, by the rule
    /// <see cref="Redact"/> applies: the address returned is what Redact shows.
    /// </summary>
    public static (string? UserInfo, string Address) SplitUserInfo(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = SchemeSeparator().Match(url);
        if (!scheme.Success || scheme.Index != 0)
            return (null, url);
        var start = scheme.Length;
        var at = UserInfoEnd(url, start);
        return at < 0 ? (null, url) : (url[start..at], url[..start] + url[(at + 1)..]);
    }

    /// <summary>The index of the '@' that ends the user information starting at <paramref name="start"/>; -1 for none.</summary>
    private static int UserInfoEnd(string text, int start)
    {
        var limit = LineEnd(text, start);
        // Another URL after a space starts its own user information.
        foreach (Match next in SchemeSeparator().Matches(text[start..limit]))
        {
            if (next.Index > 0 && char.IsWhiteSpace(text[start + next.Index - 1]))
            {
                limit = start + next.Index;
                break;
            }
        }

        var wordEnd = start;
        while (wordEnd < limit && !char.IsWhiteSpace(text[wordEnd])) wordEnd++;
        var word = text[start..wordEnd];
        var authorityEnd = word.IndexOfAny(['/', '?', '#']) is var end and >= 0 ? end : word.Length;
        var authority = word[..authorityEnd];
        var lastAt = word.LastIndexOf('@');
        if (lastAt >= 0)
        {
            if (lastAt < authorityEnd)
                return start + lastAt;
            // An '@' after the path started: a password holding '/', '?' or '#', or a path with an '@' in it.
            var host = authority[(authority.LastIndexOf('@') + 1)..];
            if (!HostAndPort().IsMatch(host) || word[authorityEnd..lastAt].Contains(':') || HostThenPath().IsMatch(word[(lastAt + 1)..]))
                return start + lastAt;
            return authority.LastIndexOf('@') is var inAuthority and >= 0 ? start + inAuthority : -1;
        }

        // No '@' in the first word: the user information goes on past a space when the word cannot be a whole address.
        var truncated = !HostAndPort().IsMatch(authority) || authorityEnd == word.Length || word[authorityEnd..].Contains(':');
        if (!truncated)
            return -1;
        for (var position = wordEnd; position < limit;)
        {
            while (position < limit && char.IsWhiteSpace(text[position])) position++;
            var next = position;
            while (next < limit && !char.IsWhiteSpace(text[next])) next++;
            var at = text.LastIndexOf('@', next - 1, next - position);
            if (next > position && at >= 0)
                return at;
            position = next;
        }
        return -1;
    }

    private static int LineEnd(string text, int start) =>
        text.IndexOfAny(['\r', '\n'], start) is var end and >= 0 ? end : text.Length;

    // "scheme://", as RFC 3986 spells a scheme.
    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeSeparator();

    // A host (a name, an IPv4 address or a bracketed IPv6 one) and an optional numeric port: an address without user information.
    [GeneratedRegex(@"^(?:\[[0-9A-Fa-f:.]*\]|[\p{L}\p{N}\-._~%!$&'()*+,;=]*)(?::[0-9]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();

    // What follows user information: a host, an optional port, then a path, a query or a fragment.
    [GeneratedRegex(@"^(?:\[[0-9A-Fa-f:.]*\]|[\p{L}\p{N}\-._~%]+)(?::[0-9]*)?[/?#]", RegexOptions.CultureInvariant)]
    private static partial Regex HostThenPath();

    // scp-style "user:password@host:path" (ssh takes no password; the form is refused, and must not be quoted whole).
    [GeneratedRegex(@"(?<=^|[\s'""(])[^\s:/@'""]+:[^\s'""]*@(?=[\p{L}\p{N}\-._]+:)", RegexOptions.CultureInvariant)]
    private static partial Regex ScpPassword();
}
