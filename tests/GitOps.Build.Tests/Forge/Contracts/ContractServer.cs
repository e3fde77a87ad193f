using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// A forge held to its published API description, on 127.0.0.1, started by a test. Every request is checked: the
/// method and templated path must be an operation of the description, its path and query parameters must match their
/// schemas (and no undeclared query parameter may appear), the Authorization header must be one the test accepts, and
/// a JSON body, or a form body's fields as one object (<see cref="ContractForm"/>), must validate against the
/// operation's request schema. Answers come from the handlers a forge's contract registers (which keep the state: pull
/// requests, branches), and must use a status the operation declares and, where
/// the vendored description holds the schema, validate against it. Anything the description would reject is a
/// violation: the request is answered 400 (so the client fails too) and <see cref="AssertHonoured"/> fails the test.
/// </summary>
public sealed class ContractServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly string basePath;
    private readonly List<ContractTolerance> tolerances;
    private readonly Dictionary<string, Func<ContractRequest, ContractResponse>> handlers = [];
    private readonly List<(string Method, Regex Path, ContractTolerance Tolerance, Func<ContractRequest, ContractResponse> Handler)> undescribed = [];
    private readonly Dictionary<string, Queue<ContractResponse>> faults = [];
    private readonly List<ContractRequest> requests = [];
    private readonly List<string> violations = [];
    private readonly List<ContractRequest> unauthorized = [];
    private readonly object gate = new();
    private readonly Task loop;
    private int validatedAnswers;

    /// <param name="basePath">The API root's path on this server, e.g. "/api/v3" (GitHub Enterprise's layout) or "".</param>
    public ContractServer(ApiDescription description, string basePath, IEnumerable<ContractTolerance> tolerances)
    {
        Description = description;
        this.basePath = basePath.TrimEnd('/');
        this.tolerances = [.. tolerances];
        (listener, Port) = Listen();
        ApiRoot = new Uri($"http://127.0.0.1:{Port}{this.basePath}/");
        loop = Task.Run(AcceptLoop);
    }

    public ApiDescription Description { get; }

    public int Port { get; }

    /// <summary>The REST root to give the client (GitOpsForgeApiUrl), ending with '/'.</summary>
    public Uri ApiRoot { get; }

    /// <summary>Authorization header values the server accepts; any other answers 401 (not a violation: tests send bad tokens on purpose).</summary>
    public HashSet<string> AcceptedAuthorizations { get; } = [];

    /// <summary>Per-operation override of <see cref="AcceptedAuthorizations"/> (e.g. the App JWT for the token exchange).</summary>
    public Dictionary<string, Func<string?, bool>> OperationAuthorization { get; } = [];

    /// <summary>The tolerances this contract declared, with their reasons.</summary>
    public IReadOnlyList<ContractTolerance> Tolerances => tolerances;

    public IReadOnlyList<ContractRequest> Requests { get { lock (gate) return [.. requests]; } }

    public IReadOnlyList<string> Violations { get { lock (gate) return [.. violations]; } }

    /// <summary>Answers checked against a schema of the description.</summary>
    public int ValidatedAnswers { get { lock (gate) return validatedAnswers; } }

    /// <summary>Requests answered 401 because of their Authorization header.</summary>
    public IReadOnlyList<ContractRequest> Unauthorized { get { lock (gate) return [.. unauthorized]; } }

    /// <summary>Simulates a described operation.</summary>
    public void Handle(string operationId, Func<ContractRequest, ContractResponse> handler)
    {
        if (!Description.Operations.Any(o => o.OperationId == operationId))
            throw new ArgumentException($"{operationId} is not in {Description.File}", nameof(operationId));
        handlers[operationId] = handler;
    }

    /// <summary>
    /// Simulates a call the description does not have, under a tolerance that says why the service serves it. The
    /// tolerance's path is the full server path (e.g. /api/graphql), templated like the description's.
    /// </summary>
    public void HandleUndescribed(ContractTolerance tolerance, Func<ContractRequest, ContractResponse> handler)
    {
        if (tolerance.Kind != ToleranceKind.UndescribedOperation || !tolerances.Contains(tolerance))
            throw new ArgumentException("an undescribed call needs a declared UndescribedOperation tolerance", nameof(tolerance));
        var pattern = "^" + Regex.Replace(Regex.Escape(tolerance.Path).Replace(@"\{", "{"), @"\{[^}]+}", "[^/]+") + "$";
        undescribed.Add((tolerance.Method, new Regex(pattern), tolerance, handler));
    }

    /// <summary>The next <paramref name="count"/> calls of an operation get this answer instead of the simulation's.</summary>
    public void Fail(string operationId, ContractResponse answer, int count = 1)
    {
        lock (gate)
        {
            if (!faults.TryGetValue(operationId, out var queue))
                faults[operationId] = queue = new Queue<ContractResponse>();
            for (var i = 0; i < count; i++)
                queue.Enqueue(answer);
        }
    }

    /// <summary>Fails the test with every request the description would have rejected.</summary>
    public void AssertHonoured()
    {
        var found = Violations;
        Assert.AreEqual(0, found.Count, $"requests the {Description.File} description rejects:\n" + string.Join("\n", found));
    }

    public IEnumerable<ContractRequest> RequestsTo(string operationId) => Requests.Where(r => r.Operation?.OperationId == operationId);

    public void Dispose()
    {
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private static (HttpListener, int) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            // HttpListener takes no port 0: take a free one from the kernel, then bind it (another process may win it: retry).
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                candidate.Start();
                return (candidate, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                candidate.Close();
            }
        }
    }

    private async Task AcceptLoop()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        ContractResponse answer;
        try
        {
            answer = Answer(context.Request);
        }
        catch (Exception e)
        {
            Violate($"{context.Request.HttpMethod} {context.Request.RawUrl}: the simulation failed: {e}");
            answer = ContractResponse.Error(500, "contract server: " + e.Message);
        }
        try
        {
            var response = context.Response;
            response.StatusCode = answer.Status;
            foreach (var header in answer.Headers ?? new Dictionary<string, string>())
                response.Headers[header.Key] = header.Value;
            if (answer.Body is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(answer.Body.ToJsonString());
                response.ContentType = "application/json; charset=utf-8";
                response.ContentLength64 = bytes.Length;
                response.OutputStream.Write(bytes);
            }
            else if (answer.Raw is { } raw)
            {
                response.ContentType = answer.RawContentType;
                response.ContentLength64 = raw.Length;
                response.OutputStream.Write(raw);
            }
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up (deadline, Ctrl+C tests): nothing to answer.
        }
    }

    private ContractResponse Answer(HttpListenerRequest raw)
    {
        using var buffer = new MemoryStream();
        raw.InputStream.CopyTo(buffer);
        var body = buffer.ToArray();
        var rawPath = raw.RawUrl!.Split('?')[0];
        var query = QueryOf(raw.RawUrl);
        var path = rawPath.StartsWith(basePath + "/", StringComparison.Ordinal) ? rawPath[basePath.Length..] : null;
        var request = new ContractRequest(raw.HttpMethod, path ?? rawPath, raw.RawUrl, query, raw.Headers, body);
        lock (gate) requests.Add(request);

        // Tolerated undescribed calls name their server path in full: GraphQL sits beside the REST root, not under it.
        var extra = undescribed.FirstOrDefault(u => (u.Method == "*" || u.Method == request.Method) && u.Path.IsMatch(rawPath));
        if (extra.Handler is not null)
            return Authorized(request, null) ? extra.Handler(request) : Refuse(request);

        if (path is null)
            return Violate(request, $"the path is not under the API root {basePath}/", 404);

        if (Description.Match(request.Method, path, MultiSegment) is not { } matched)
            return Violate(request, "no operation of the description has this method and path", 404);

        var (operation, values) = matched;
        request.Operation = operation;
        request.PathValues = values;
        if (!Authorized(request, operation))
            return Refuse(request);

        var problems = operation.CheckParameters(values, query, name => raw.Headers[name]).Concat(CheckBody(request, operation, raw.ContentType)).ToList();
        if (problems.Count > 0)
            return Violate(request, string.Join("; ", problems), 400);

        ContractResponse? fault = null;
        lock (gate)
        {
            if (faults.TryGetValue(operation.OperationId, out var queue) && queue.Count > 0)
                fault = queue.Dequeue();
        }
        if (fault is null && !handlers.ContainsKey(operation.OperationId))
            return Violate(request, $"{operation} is described but this contract does not simulate it", 501);
        var answer = fault ?? handlers[operation.OperationId](request);
        CheckAnswer(request, operation, answer);
        return answer;
    }

    private IReadOnlyCollection<string> MultiSegment(ApiOperation operation) =>
        [.. tolerances.Where(t => t.Kind == ToleranceKind.MultiSegment && t.AppliesTo(operation.Method, operation.Template)).Select(t => t.Value)];

    private bool Authorized(ContractRequest request, ApiOperation? operation) =>
        operation is not null && OperationAuthorization.TryGetValue(operation.OperationId, out var check)
            ? check(request.Authorization)
            : request.Authorization is { } value && AcceptedAuthorizations.Contains(value);

    private ContractResponse Refuse(ContractRequest request)
    {
        // Every forge answers a bad token 401 on every operation, whether or not its description lists 401 there.
        lock (gate) unauthorized.Add(request);
        return ContractResponse.Error(401, "Bad credentials");
    }

    private IEnumerable<string> CheckBody(ContractRequest request, ApiOperation operation, string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (operation.BodyMediaTypes.Count == 0)
        {
            if (request.Body.Length > 0 && !Tolerated(ToleranceKind.ContentType, request, operation, "none"))
                yield return "the operation takes no body, but one was sent";
            yield break;
        }
        if (request.Body.Length == 0)
        {
            if (operation.BodyRequired)
                yield return "the request body is required";
            yield break;
        }
        var json = operation.BodyMediaTypes.Keys.FirstOrDefault(k => k.Contains("json", StringComparison.OrdinalIgnoreCase));
        if (media is null || !operation.BodyMediaTypes.ContainsKey(media))
        {
            if (json is null || media is null || !Tolerated(ToleranceKind.ContentType, request, operation, media))
            {
                yield return $"Content-Type '{contentType}' is not one of {string.Join(", ", operation.BodyMediaTypes.Keys)}";
                yield break;
            }
        }
        else if (ContractForm.IsForm(media))
        {
            // A form is checked as JSON is: its fields, as one object, against the form's schema.
            IReadOnlyList<ContractFormField>? fields = null;
            string? malformed = null;
            try
            {
                fields = ContractForm.Parse(contentType!, request.RawBody);
            }
            catch (FormatException e)
            {
                malformed = e.Message;
            }
            if (malformed is not null)
            {
                yield return "the body is not a well-formed form: " + malformed;
                yield break;
            }
            var form = JsonDocument.Parse(ContractForm.AsObject(fields!).ToJsonString()).RootElement.Clone();
            foreach (var problem in Description.Validate(operation.BodyMediaTypes[media], form))
                yield return "form " + problem;
            yield break;
        }
        else if (!media.Contains("json", StringComparison.Ordinal))
        {
            yield break;
        }
        JsonElement instance;
        string? error = null;
        try
        {
            instance = JsonDocument.Parse(request.Body).RootElement.Clone();
        }
        catch (JsonException e)
        {
            instance = default;
            error = e.Message;
        }
        if (error is not null)
        {
            yield return "the body is not JSON: " + error;
            yield break;
        }
        var schema = operation.BodyMediaTypes[operation.BodyMediaTypes.ContainsKey(media!) ? media! : json!];
        foreach (var problem in Description.Validate(schema, instance))
            yield return "body " + problem;
    }

    private void CheckAnswer(ContractRequest request, ApiOperation operation, ContractResponse answer)
    {
        if (!operation.Declares(answer.Status) && !Tolerated(ToleranceKind.Status, request, operation, answer.Status.ToString()))
            Violate($"{request}: the simulation answered {answer.Status}, which {operation} does not declare");
        if (answer.Body is null)
            return;
        if (operation.ResponseSchema(answer.Status) is { } schema)
        {
            lock (gate) validatedAnswers++;
            foreach (var problem in Description.Validate(schema, JsonDocument.Parse(answer.Body.ToJsonString()).RootElement))
                Violate($"{request}: the simulation's {answer.Status} answer does not match the description: {problem}");
        }
        else if (answer.Status is >= 200 and < 300
                 && !Tolerated(ToleranceKind.UnvalidatedAnswer, request, operation, answer.Status.ToString(CultureInfo.InvariantCulture))
                 && !Tolerated(ToleranceKind.UnvalidatedAnswer, request, operation, "2XX"))
        {
            // A success body nothing checks would let the simulation drift from the service unnoticed.
            Violate($"{request}: the simulation's {answer.Status} answer has no schema in {Description.File} to be checked against");
        }
    }

    private bool Tolerated(ToleranceKind kind, ContractRequest request, ApiOperation operation, string value) =>
        tolerances.Any(t => t.Kind == kind && t.Value == value
                            && (t.AppliesTo(request.Method, operation.OperationId) || t.AppliesTo(request.Method, operation.Template)));

    private ContractResponse Violate(ContractRequest request, string problem, int status)
    {
        Violate($"{request}: {problem}");
        return ContractResponse.Error(status, "contract violation: " + problem);
    }

    private void Violate(string problem)
    {
        lock (gate) violations.Add(problem);
    }

    private static List<KeyValuePair<string, string>> QueryOf(string rawUrl)
    {
        var question = rawUrl.IndexOf('?');
        if (question < 0)
            return [];
        return [.. rawUrl[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            return new KeyValuePair<string, string>(Uri.UnescapeDataString(name.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' ')));
        })];
    }
}
