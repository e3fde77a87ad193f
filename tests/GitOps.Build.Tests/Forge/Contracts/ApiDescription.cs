using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// A forge's published API description (OpenAPI 3 or Swagger 2, read by Microsoft.OpenApi), vendored with only the
/// operations the product calls: which operations exist, their templated paths, parameters, request bodies and
/// answers. Bodies are validated by JsonSchema.Net against the description's own schemas, reached by JSON pointer
/// into the document as Microsoft.OpenApi writes it in OpenAPI 3.1 (Swagger 2 body parameters become request bodies).
/// </summary>
public sealed partial class ApiDescription
{
    private static readonly Uri DocumentUri = new("https://contract.test/description.json");

    // OpenAPI's schema dialect takes extension keywords (x-go-name, x-ms-enum, …) as annotations.
    private static readonly Dialect OpenApiDialect = Dialect.Draft202012.With([], allowUnknownKeywords: true);

    private readonly JsonElement document;
    private readonly SchemaRegistry registry = new();

    private ApiDescription(OpenApiDocument model, JsonElement document, string file)
    {
        Model = model;
        this.document = document;
        File = file;
        registry.Register(DocumentUri, new JsonElementBaseDocument(document, DocumentUri));
        Operations = [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(method => method.Name is "get" or "put" or "post" or "patch" or "delete" or "head")
                .Select(method => new ApiOperation(this, method.Name.ToUpperInvariant(), path.Name, path.Value, method.Value)))];
    }

    /// <summary>The description as Microsoft.OpenApi read it.</summary>
    public OpenApiDocument Model { get; }

    public string File { get; }

    public IReadOnlyList<ApiOperation> Operations { get; }

    /// <summary>Reads a vendored description (JSON, OpenAPI 3.x or Swagger 2.0) from Forge/Contracts/Descriptions.</summary>
    public static ApiDescription Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Forge", "Contracts", "Descriptions", fileName);
        using var stream = System.IO.File.OpenRead(path);
        var settings = new OpenApiReaderSettings();
        var (model, diagnostic) = OpenApiDocument.LoadAsync(stream, "json", settings).GetAwaiter().GetResult();
        if (model is null)
            throw new InvalidOperationException($"{fileName} is not an API description: {string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? [])}");

        // Microsoft.OpenApi's own OpenAPI 3.1 rendering: one shape to point into whatever the source version was.
        using var text = new StringWriter();
        model.SerializeAsV31(new OpenApiJsonWriter(text));
        var rendered = JsonNode.Parse(text.ToString())!;
        NullableEnums(rendered);
        using var json = JsonDocument.Parse(rendered.ToJsonString());
        return new ApiDescription(model, json.RootElement.Clone(), fileName);
    }

    /// <summary>
    /// OpenAPI 3.0's nullable (rendered in 3.1 as type [..., "null"]) adds null to the values a schema takes, whether or
    /// not an enum lists it: so the forges answer (GitHub's check-run conclusion is null until the run completes) and so
    /// their SDK generators read it. JSON Schema's enum alone would refuse null: it is added to such enums.
    /// </summary>
    private static void NullableEnums(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
                NullableEnums(item);
            return;
        }
        if (node is not JsonObject schema)
            return;
        if (schema["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null")
            && schema["enum"] is JsonArray values && !values.Any(v => v is null))
            values.Add(null);
        foreach (var (_, value) in schema)
            NullableEnums(value);
    }

    /// <summary>The operation a request names, by method and path (relative to the API root); null when none.</summary>
    /// <param name="multiSegment">Per template, path parameters a contract lets span '/' (<see cref="ToleranceKind.MultiSegment"/>).</param>
    public (ApiOperation Operation, IReadOnlyDictionary<string, string> PathValues)? Match(string method, string path,
        Func<ApiOperation, IReadOnlyCollection<string>>? multiSegment = null)
    {
        // A multi-segment parameter ({ref} of GitHub's commits/{ref}) would also swallow commits/{ref}/statuses: the
        // longer template, which names more of the path, is tried first.
        foreach (var operation in Operations.Where(o => o.Method == method)
                     .OrderBy(o => o.IsMultiSegment || multiSegment?.Invoke(o).Count > 0).ThenByDescending(o => o.Template.Length))
        {
            if (operation.Match(path, multiSegment?.Invoke(operation)) is { } values)
                return (operation, values);
        }
        return null;
    }

    /// <summary>JSON Schema validation of <paramref name="instance"/> against the schema at a pointer into the document.</summary>
    internal IReadOnlyList<string> Validate(string pointer, JsonElement instance)
    {
        var reference = new JsonObject { ["$ref"] = DocumentUri + "#" + pointer };
        JsonSchema schema;
        try
        {
            schema = JsonSchema.FromText(reference.ToJsonString(), new BuildOptions { SchemaRegistry = registry, Dialect = OpenApiDialect });
        }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return [$"schema at {pointer} cannot be built: {e.Message}"];
        }
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
            return [];
        return [.. (results.Details ?? []).Append(results)
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value} ({detail.EvaluationPath})"))
            .Distinct()];
    }

    /// <summary>Whether every $ref under a pointer resolves in the vendored document (a subset may leave some out).</summary>
    internal bool Resolves(string pointer)
    {
        if (Find(pointer) is not { } element)
            return false;
        var pending = new Stack<JsonElement>([element]);
        var seen = new HashSet<string>();
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in current.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        var target = property.Value.GetString()!;
                        if (!target.StartsWith('#') || !seen.Add(target)) continue;
                        if (Find(target[1..]) is not { } resolved) return false;
                        pending.Push(resolved);
                    }
                    else
                    {
                        pending.Push(property.Value);
                    }
                }
            }
            else if (current.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in current.EnumerateArray()) pending.Push(item);
            }
        }
        return true;
    }

    internal JsonElement? Find(string pointer)
    {
        var current = document;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
                current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index < current.GetArrayLength())
                current = current[index];
            else
                return null;
        }
        return current;
    }

    internal static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");
}
