using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// The one HTTP stack of the forge clients, on the git transport's proxy and CA settings: the credentials go only to
/// the API's origin (scheme, host, port); every request is bounded by the config step's deadline and Ctrl+C (Octokit's
/// calls take no token, so the handler applies it); a rate limit is waited out when its reset falls within the
/// deadline, else GITOPS129; a failed answer becomes the coded error that names what to fix (<see cref="ForgeFailure"/>).
/// </summary>
internal sealed class ForgeHttp : IDisposable
{
    private readonly ForgeCredentials? credentials;
    private readonly HttpTransportSettings settings;
    private readonly IBuildLog log;
    private readonly Lazy<HttpClient> client;

    /// <param name="repository">Where the API is; its origin is the only one that gets credentials.</param>
    /// <param name="credentials">Null: the caller sets each request's Authorization itself (the GitHub App's JWT for the token exchange).</param>
    /// <param name="settings">The git transport's proxy and CA settings.</param>
    /// <param name="deadline">GitOpsConfigTimeout and Ctrl+C.</param>
    /// <param name="log">For the rate-limit waits.</param>
    public ForgeHttp(ForgeRepository repository, ForgeCredentials? credentials, HttpTransportSettings settings, Deadline deadline, IBuildLog log)
    {
        Repository = repository;
        this.credentials = credentials;
        this.settings = settings;
        Deadline = deadline;
        this.log = log;
        ApiOrigin = Origin.Of(repository.ApiRoot);
        client = new Lazy<HttpClient>(() => new HttpClient(CreateHandler()) { BaseAddress = repository.ApiRoot, Timeout = Timeout.InfiniteTimeSpan });
    }

    public ForgeRepository Repository { get; }

    /// <summary>The build log, for a client's warnings (a label or reviewer the forge cannot take).</summary>
    public IBuildLog Log => log;

    public Deadline Deadline { get; }

    /// <summary>The only scheme, host and port that get the credentials.</summary>
    public Origin ApiOrigin { get; }

    /// <summary>The API root as messages show it.</summary>
    public string DisplayApi => UrlRedactor.Redact(Repository.ApiRoot.ToString());

    /// <summary>
    /// The first coded error a request raised inside the handler (deadline, rate limit, network), for callers whose
    /// library wraps exceptions thrown by the handler (Octokit).
    /// </summary>
    public GitOpsException? Failure { get; private set; }

    /// <summary>A client over <see cref="CreateHandler"/> whose BaseAddress is the API root (relative paths resolve under it).</summary>
    public HttpClient Client => client.Value;

    /// <summary>A handler stack for a library that builds its own HttpClient (Octokit's HttpClientAdapter).</summary>
    public HttpMessageHandler CreateHandler() => new Handler(this) { InnerHandler = GitHttpTransport.NewHandler(settings) };

    /// <summary>Sends a JSON request (null body: none) and reads the JSON answer; a failed answer throws the coded error.</summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string relativePath, TRequest? body,
        JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, string? branch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, relativePath);
        if (body is not null)
            request.Content = JsonContent.Create(body, requestType);
        using var response = await SendAsync(request, branch, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(request, response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A 2xx answer's JSON as <paramref name="type"/>: an answer that is not that JSON (a sign-in page's HTML, another
    /// shape, a character set .NET does not know) is GITOPS107, an empty one GITOPS130.
    /// </summary>
    public async Task<T> ReadJsonAsync<T>(HttpRequestMessage request, HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                   ?? throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, DisplayApi, Operation(request), "an empty answer");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw NotJson(Operation(request), response.Content.Headers.ContentType?.MediaType, e);
        }
    }

    /// <summary>The same for an answer's text read already (<see cref="ForgeAnswer.Body"/>).</summary>
    public T ParseJson<T>(string body, string operation, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type)
                   ?? throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, DisplayApi, operation, "an empty answer");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw NotJson(operation, null, e);
        }
    }

    private GitOpsException NotJson(string operation, string? mediaType, Exception e) =>
        new(e, Errors.ApiAnswerUnusable, Repository.Kind, DisplayApi, operation,
            (mediaType is null ? "not the JSON expected" : $"not the JSON expected ({mediaType})") + ": " + FirstLine(e.Message));

    private static string FirstLine(string text) => text.Split('\n')[0].Trim() is var line && line.Length > 200 ? line[..200] + "…" : line;

    /// <summary>Sends a request and throws the coded error for any answer but 2xx; the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? branch, CancellationToken cancellationToken)
    {
        var response = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw ForgeFailure.From(this, response.StatusCode, response.Headers, text, Operation(request), branch);
        }
    }

    /// <summary>"POST /repos/o/r/pulls": what a message names as the call that failed.</summary>
    public static string Operation(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.AbsolutePath}";

    public void Dispose()
    {
        if (client.IsValueCreated)
            client.Value.Dispose();
    }

    private GitOpsException Record(GitOpsException error)
    {
        Failure ??= error;
        return error;
    }

    /// <summary>Credentials, deadline and rate limits, under whatever client sits on top.</summary>
    private sealed class Handler(ForgeHttp http) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The content may be sent twice (after a rate-limit wait): buffer it once.
            var content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                using var attemptRequest = attempt == 1 ? null : Copy(request, content);
                var current = attemptRequest ?? request;
                Authorize(current);
                var response = await SendBounded(current, cancellationToken).ConfigureAwait(false);
                if (RateLimit.Of(response) is not { } asked)
                    return response;
                // A limit that asks for no wait at all, again and again, is waited out with a growing pause: never a busy loop.
                var wait = asked > RateLimit.Floor(attempt) ? asked : RateLimit.Floor(attempt);
                response.Dispose();
                var operation = Operation(current);
                if (wait > http.Deadline.Remaining)
                    throw http.Record(new GitOpsException(Errors.ForgeRateLimited, http.Repository.Kind, http.DisplayApi, operation,
                        DateTimeOffset.UtcNow.Add(wait).ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
                http.log.Important($"GitOps: the {http.Repository.Kind} API is rate-limited for {operation}; waiting {wait.TotalSeconds:0} s as it asks.");
                http.Deadline.Wait(wait);
            }
        }

        /// <summary>The forge's credentials to the API's origin only; a caller's own (the App's JWT) likewise.</summary>
        private void Authorize(HttpRequestMessage request)
        {
            if (request.RequestUri is not { IsAbsoluteUri: true } uri || Origin.Of(uri) != http.ApiOrigin)
            {
                request.Headers.Authorization = null;
                return;
            }
            request.Headers.Authorization ??= http.credentials?.AuthorizationFor(http.Repository.Kind);
        }

        private async Task<HttpResponseMessage> SendBounded(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, http.Deadline.Token);
            bounded.CancelAfter(http.Deadline.Remaining);
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, bounded.Token).ConfigureAwait(false);
                // The body too, within the deadline and the answer's bounds: the client above would read it with no limit.
                var body = await ApiAnswerBody.ReadAsync(response.Content, bounded.Token).ConfigureAwait(false);
                bounded.Token.ThrowIfCancellationRequested();
                if (body is null || ApiAnswerBody.TooDeep(body))
                    throw http.Record(new GitOpsException(Errors.ApiAnswerUnusable, http.Repository.Kind, http.DisplayApi, Operation(request),
                        body is null ? $"a body over {ApiAnswerBody.MaxBytes / (1024 * 1024)} MiB" : $"JSON nested deeper than {ApiAnswerBody.MaxDepth} levels"));
                using (var streamed = response.Content)
                    response.Content = ApiAnswerBody.Buffered(streamed, body);
                return response;
            }
            catch (GitOpsException)
            {
                response?.Dispose();
                throw;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or HttpRequestException or IOException)
            {
                response?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                http.Deadline.Token.ThrowIfCancellationRequested();
                if (bounded.IsCancellationRequested)
                    throw http.Record(http.Deadline.Stopped(http.DisplayApi));
                throw http.Record(new GitOpsException(e, Errors.ForgeRequestFailed, http.Repository.Kind, http.DisplayApi, Operation(request),
                    UrlRedactor.Redact(Describe(e))));
            }
        }

        private static string Describe(Exception e) =>
            e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;

        private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? content)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
            foreach (var header in request.Headers)
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            if (content is not null)
            {
                copy.Content = new ByteArrayContent(content);
                foreach (var header in request.Content!.Headers)
                    copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            foreach (var option in request.Options)
                ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
            return copy;
        }
    }

    /// <summary>How long a forge asks to wait, from its rate-limit answer; null for any other answer.</summary>
    internal static class RateLimit
    {
        // GitHub's advice for a secondary limit that names no time.
        private static readonly TimeSpan Unnamed = TimeSpan.FromSeconds(60);

        public static TimeSpan? Of(HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            var exhausted = Header(response.Headers, "X-RateLimit-Remaining") is "0" || Header(response.Headers, "RateLimit-Remaining") is "0";
            var retryAfter = response.Headers.RetryAfter;
            if (!(status == 429 || (status == 403 && (exhausted || retryAfter is not null))))
                return null;
            if (retryAfter?.Delta is { } delta)
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta < Longest ? delta : Longest;
            if (retryAfter?.Date is { } date)
                return date - DateTimeOffset.UtcNow is var until && until < Longest ? Positive(until) : Longest;
            if ((Header(response.Headers, "X-RateLimit-Reset") ?? Header(response.Headers, "RateLimit-Reset")) is { } reset
                && long.TryParse(reset, out var epoch))
                // GitLab and GitHub send epoch seconds; a small number is a delta (the IETF draft's RateLimit-Reset).
                return Reset(epoch);
            return Unnamed;
        }

        // Beyond any deadline, and still a date a message can print (a reset past the year 9999 is no date at all).
        private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

        /// <summary>The least wait before attempt <paramref name="attempt"/> + 1: 1 s, 2 s, 4 s … up to a minute.</summary>
        public static TimeSpan Floor(int attempt) => TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(attempt - 1, 6)));

        private static TimeSpan Positive(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait + TimeSpan.FromSeconds(1);

        private static TimeSpan Reset(long epoch) =>
            epoch > 1_000_000_000
                ? epoch - DateTimeOffset.UtcNow.ToUnixTimeSeconds() is var left && left < Longest.TotalSeconds ? Positive(TimeSpan.FromSeconds(left)) : Longest
                : TimeSpan.FromSeconds(Math.Clamp(epoch, 0, (long)Longest.TotalSeconds));

        internal static string? Header(HttpHeaders headers, string name) =>
            headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
    }
}
