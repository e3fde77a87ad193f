using System.Collections.Specialized;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>A request the contract server received, as its handlers and the tests' assertions see it.</summary>
public sealed class ContractRequest
{
    internal ContractRequest(string method, string path, string rawUrl, IReadOnlyList<KeyValuePair<string, string>> query,
        NameValueCollection headers, byte[] body)
    {
        RawBody = body;
        Method = method;
        Path = path;
        RawUrl = rawUrl;
        Query = query;
        Headers = headers;
        Body = System.Text.Encoding.UTF8.GetString(body);
    }

    public string Method { get; }

    /// <summary>The path below the API root, unescaped segment by segment only in <see cref="PathValues"/>.</summary>
    public string Path { get; }

    public string RawUrl { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public NameValueCollection Headers { get; }

    public string Body { get; }

    /// <summary>The body's bytes as sent (a form's files are bytes, not text).</summary>
    public byte[] RawBody { get; }

    /// <summary>A form body's fields (multipart/form-data or url-encoded), as the server checked them.</summary>
    public IReadOnlyList<ContractFormField> Form => ContractForm.Parse(Headers["Content-Type"] ?? "", RawBody);

    public string? Authorization => Headers["Authorization"];

    /// <summary>The described operation it matched (null for a tolerated undescribed call).</summary>
    public ApiOperation? Operation { get; internal set; }

    public IReadOnlyDictionary<string, string> PathValues { get; internal set; } = new Dictionary<string, string>();

    public string? QueryValue(string name) => Query.Where(q => q.Key == name).Select(q => q.Value).FirstOrDefault();

    /// <summary>The body as JSON (null when empty).</summary>
    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);

    public override string ToString() => $"{Method} {RawUrl}";
}

/// <summary>An answer: status, JSON body (null: none), extra headers.</summary>
public sealed record ContractResponse(int Status, JsonNode? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A raw answer (a file's bytes) in place of JSON: no schema holds it, so only its status is checked.</summary>
    public byte[]? Raw { get; init; }

    public string RawContentType { get; init; } = "application/octet-stream";

    public static ContractResponse Bytes(byte[] content, string contentType = "application/octet-stream") =>
        new(200) { Raw = content, RawContentType = contentType };

    public static ContractResponse Json(HttpStatusCode status, JsonNode? body, IReadOnlyDictionary<string, string>? headers = null) =>
        new((int)status, body, headers);

    public static ContractResponse Empty(HttpStatusCode status) => new((int)status);

    /// <summary>An error body as most forges shape it: {"message": …}.</summary>
    public static ContractResponse Error(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject { ["message"] = message }, headers);
}
