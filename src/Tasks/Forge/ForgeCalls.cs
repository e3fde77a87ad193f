using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// The request shapes the REST clients (GitLab, Azure DevOps, Gitea, Bitbucket) share, on top of <see cref="ForgeHttp"/>:
/// a read, a write whose answer is not needed, and a write whose documented refusals (GitLab's 409 "exists", an
/// auto-merge a repository does not allow) are answers to act on rather than errors.
/// </summary>
internal static class ForgeCalls
{
    /// <summary>GET and read the JSON answer; a failed answer throws the coded error.</summary>
    public static async Task<T> GetAsync<T>(this ForgeHttp http, string path, JsonTypeInfo<T> type, string? branch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, branch, cancellationToken).ConfigureAwait(false);
        return await http.ReadJsonAsync(request, response, type, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET a file's raw content (a blob), byte for byte as stored; a failed answer throws the coded error.</summary>
    public static async Task<byte[]> GetBytesAsync(this ForgeHttp http, string path, string? branch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, branch, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A request whose answer carries nothing the caller needs (DELETE, a decline, a comment).</summary>
    public static async Task SendAsync(this ForgeHttp http, HttpMethod method, string path, HttpContent? content, string? branch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request, branch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body as JSON of the generated type (no JSON is written by hand).</summary>
    public static HttpContent Json<T>(T body, JsonTypeInfo<T> type) => JsonContent.Create(body, type);

    /// <summary>
    /// Sends, and returns the answer for 2xx and for the <paramref name="tolerated"/> statuses; any other status throws
    /// the coded error as <see cref="ForgeHttp.SendAsync(HttpRequestMessage, string?, CancellationToken)"/> does.
    /// </summary>
    public static async Task<ForgeAnswer> SendTolerantAsync(this ForgeHttp http, HttpMethod method, string path, HttpContent? content,
        string? branch, CancellationToken cancellationToken, params HttpStatusCode[] tolerated)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || tolerated.Contains(response.StatusCode))
            return new ForgeAnswer(response.StatusCode, text);
        throw ForgeFailure.From(http, response.StatusCode, response.Headers, text, ForgeHttp.Operation(request), branch);
    }

    /// <summary>The most pages of one list read (10,000 items at 100 a page): far more than a config repository has.</summary>
    public const int MaxPages = 100;

    /// <summary>
    /// The most pages of one tree or history listing read (GitOpsCommitMethod=api): 100,000 entries at 100 a page. A
    /// history whose pages hold no usable ids never reaches its limit, and would read on until the deadline without it.
    /// </summary>
    public const int MaxTreePages = 1000;

    /// <summary>Before page <paramref name="page"/> (1-based) of a list: a list whose pages never end is GITOPS107, not a loop that fills memory until the deadline.</summary>
    public static void CheckPage(this ForgeHttp http, int page, string operation, int maxPages = MaxPages)
    {
        if (page > maxPages)
            throw new GitOpsException(Errors.ApiAnswerUnusable, http.Repository.Kind, http.DisplayApi, operation, $"a list of more than {maxPages} pages");
    }

    /// <summary>
    /// A list's next page as its answer names it (Bitbucket's <c>next</c>): null at the end; anything but an absolute
    /// HTTP(S) URL is GITOPS107 (an empty or relative link would read the same page again without end).
    /// </summary>
    public static string? NextPage(this ForgeHttp http, string? next, int page, string operation, int maxPages = MaxPages)
    {
        if (next is null) return null;
        if (!Uri.TryCreate(next, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new GitOpsException(Errors.ApiAnswerUnusable, http.Repository.Kind, http.DisplayApi, operation,
                $"a next-page link that is not an HTTP(S) URL ('{(next.Length > 80 ? next[..80] + "…" : next)}')");
        http.CheckPage(page + 1, operation, maxPages);
        return next;
    }

    /// <summary>A file's content as an answer gives it in base64; anything else there is GITOPS107, not FormatException.</summary>
    public static byte[] Base64(this ForgeHttp http, string text, string operation)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new GitOpsException(Errors.ApiAnswerUnusable, http.Repository.Kind, http.DisplayApi, operation, "a file's content that is not base64");
        }
    }

    /// <summary>A path of several segments (a file's path, a branch with '/'), each escaped, the '/' kept.</summary>
    public static string Segments(string value) => string.Join('/', value.Split('/').Select(Uri.EscapeDataString));

    /// <summary>One path segment (a branch like gitops/app-1a2b3c4 is one segment: its slash is escaped).</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>"?a=1&amp;b=2" from the pairs whose value is not null, each escaped.</summary>
    public static string Query(params (string Name, string? Value)[] pairs) =>
        "?" + string.Join('&', pairs.Where(pair => pair.Value is not null).Select(pair => $"{pair.Name}={Uri.EscapeDataString(pair.Value!)}"));
}

/// <summary>A forge's answer that the caller decides on (status and body text).</summary>
internal sealed record ForgeAnswer(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The forge's own message, one line, for a warning.</summary>
    public string Message => ForgeFailure.MessageOf(Body) ?? $"{(int)Status} {Status}";
}
