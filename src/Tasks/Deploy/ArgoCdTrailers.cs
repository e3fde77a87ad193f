using GitOps.Build.Diagnostics;
using System.Globalization;
using System.Net.Mail;
using System.Text.Encodings.Web;
using System.Text.Json;
using GitOps.Build.AppRepo;

namespace GitOps.Build.Deploy;

/// <summary>
/// Argo CD's commit-tracing trailers (source hydrator, GitOps Promoter): the app commit a config commit deploys, in the
/// form Argo CD documents. A value that does not fit its rule is left out, and no value holds a line break, so a
/// hostile commit subject or body cannot add trailers or lines of its own.
/// </summary>
internal static class ArgoCdTrailers
{
    public const string Author = "Argocd-reference-commit-author";
    public const string Sha = "Argocd-reference-commit-sha";
    public const string Subject = "Argocd-reference-commit-subject";
    public const string Body = "Argocd-reference-commit-body";
    public const string RepoUrl = "Argocd-reference-commit-repourl";
    public const string Date = "Argocd-reference-commit-date";

    // Body as a JSON string: escapes line breaks and quotes, keeps other text readable.
    private static readonly JsonSerializerOptions JsonString = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The trailers for <paramref name="commit"/>, in Argo CD's order; only those with a valid value.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(AppCommit commit)
    {
        if (AuthorValue(commit.AuthorName, commit.AuthorEmail) is { } author)
            yield return new(Author, author);
        if (commit.Sha.Length is >= 5 and <= 40 && commit.Sha.All(Uri.IsHexDigit))
            yield return new(Sha, commit.Sha.ToLowerInvariant());
        if (OneLine(commit.Subject) is { } subject)
            yield return new(Subject, subject);
        if (!string.IsNullOrWhiteSpace(commit.Body))
            yield return new(Body, JsonSerializer.Serialize(commit.Body.ReplaceLineEndings("\n").Trim('\n'), JsonString));
        if (RepositoryUrl(commit.RepositoryUrl) is { } url)
            yield return new(RepoUrl, url);
        if (commit.Date is { } date)
            yield return new(Date, date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    // RFC 5322 name-addr: "Name <address>"; a name with specials is quoted. Without a valid address: left out.
    private static string? AuthorValue(string? name, string? email)
    {
        if (OneLine(email) is not { } address || address.Any(c => c is '<' or '>' or ' ' or '"')
            || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
            return null;
        var displayName = OneLine(name)?.Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(displayName))
            return $"<{address}>";
        var needsQuotes = displayName.Any(c => "()<>[]:;@,.".Contains(c));
        return needsQuotes ? $"\"{displayName}\" <{address}>" : $"{displayName} <{address}>";
    }

    // An absolute http(s), ssh or git URL without user information (UrlRedactor); anything else, such as the scp-like
    // "git@host:path", is left out.
    private static string? RepositoryUrl(string? value)
    {
        if (OneLine(value) is not { } text)
            return null;
        var redacted = UrlRedactor.Redact(text);
        return !redacted.Any(char.IsWhiteSpace) && Uri.TryCreate(redacted, UriKind.Absolute, out var uri)
            && uri.Scheme is "https" or "http" or "ssh" or "git" && uri.Host.Length > 0
            ? redacted
            : null;
    }

    /// <summary>The text on one line: every line break (CR, LF, and Unicode's) and control character becomes a space.</summary>
    private static string? OneLine(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = new string(value.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return text.Length == 0 ? null : text;
    }
}
