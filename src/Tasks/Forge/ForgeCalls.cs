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
        return await ReadAsync(http, request, response, type, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A tolerated answer's JSON (<see cref="SendTolerantAsync"/>); what is not the documented JSON is GITOPS130.</summary>
    public static T Parse<T>(this ForgeHttp http, ForgeAnswer answer, JsonTypeInfo<T> type, string operation)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(answer.Body, type) ?? throw new System.Text.Json.JsonException("null");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new GitOpsException(e, Errors.ForgeRequestFailed, http.Repository.Kind, http.DisplayApi, operation, "an answer that is not the documented JSON");
        }
    }

    public static async Task<T> ReadAsync<T>(ForgeHttp http, HttpRequestMessage request, HttpResponseMessage response, JsonTypeInfo<T> type,
        CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
        ?? throw new GitOpsException(Errors.ForgeRequestFailed, http.Repository.Kind, http.DisplayApi, ForgeHttp.Operation(request), "an empty answer");

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
