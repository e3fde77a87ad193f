using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Verdict.ArgoCd;

/// <summary>
/// GET /api/v1/applications/{name} on Argo CD's API, over the git transport's HTTP stack (proxy, private CA, no
/// redirects followed, so the bearer token goes to GITOPS_ARGOCD_SERVER's origin and nowhere else).
/// </summary>
internal sealed class ArgoCdClient : IDisposable
{
    private readonly HttpClient client;
    private readonly AuthenticationHeaderValue authorization;

    public ArgoCdClient(ArgoCdSettings settings, HttpTransportSettings transport)
    {
        client = new HttpClient(GitHttpTransport.NewHandler(transport)) { BaseAddress = settings.Server, Timeout = Timeout.InfiniteTimeSpan };
        authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        DisplayServer = UrlRedactor.Redact(settings.Server.ToString());
    }

    public string DisplayServer { get; }

    /// <summary>The application; <paramref name="refresh"/> asks for a normal refresh first (?refresh=normal), so nobody waits out the poll interval.</summary>
    public async Task<ArgoCdApplication> GetApplicationAsync(ArgoCdApplicationName application, bool refresh, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (application.Project is { } project)
            query.Add("project=" + Uri.EscapeDataString(project));
        if (refresh)
            query.Add("refresh=normal");
        var path = "api/v1/applications/" + Uri.EscapeDataString(application.Name) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            // Read within bounds: an answer without end would otherwise be buffered until the wait's timeout.
            var body = await ApiAnswerBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false)
                       ?? throw new GitOpsException(Errors.ApiAnswerUnusable, "Argo CD", DisplayServer, $"GET {request.RequestUri}",
                           $"a body over {ApiAnswerBody.MaxBytes / (1024 * 1024)} MiB");
            if (response.IsSuccessStatusCode)
                return JsonSerializer.Deserialize(body, ArgoCdJson.Default.ArgoCdApplication)
                       ?? throw new GitOpsException(Errors.ArgoCdRequestFailed, DisplayServer, application, "an empty answer");
            var message = MessageOf(Encoding.UTF8.GetString(body));
            var status = $"{(int)response.StatusCode} {response.StatusCode}";
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                throw new GitOpsException(Errors.ArgoCdAccessDenied, DisplayServer, status, application, message ?? "no message");
            throw new GitOpsException(Errors.ArgoCdRequestFailed, DisplayServer, application, status + (message is null ? "" : ": " + message));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new GitOpsException(e, Errors.ArgoCdRequestFailed, DisplayServer, application, UrlRedactor.Redact(e.Message));
        }
    }

    private static string? MessageOf(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, ArgoCdJson.Default.ArgoCdError);
            return error?.Message ?? error?.Error;
        }
        catch (JsonException)
        {
            var line = body.Split('\n')[0].Trim();
            return line.Length == 0 ? null : line.Length > 200 ? line[..200] + "…" : line;
        }
    }

    public void Dispose() => client.Dispose();
}
