using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>One operation of an <see cref="ApiDescription"/>: its templated path, parameters, request body and answers.</summary>
public sealed class ApiOperation
{
    private readonly ApiDescription description;
    private readonly Regex pattern;
    private readonly string pointer;

    internal ApiOperation(ApiDescription description, string method, string template, JsonElement pathItem, JsonElement operation)
    {
        this.description = description;
        Method = method;
        Template = template;
        pointer = $"/paths/{ApiDescription.Escape(template)}/{method.ToLowerInvariant()}";
        OperationId = operation.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{method} {template}";
        Parameters = [.. ParametersOf(pathItem, $"/paths/{ApiDescription.Escape(template)}")
            .Concat(ParametersOf(operation, pointer))
            .GroupBy(p => (p.Name, p.In)).Select(g => g.Last())];
        IsMultiSegment = Parameters.Any(p => p.MultiSegment);
        pattern = Pattern([]);
        if (operation.TryGetProperty("requestBody", out var body))
        {
            var bodyPointer = pointer + "/requestBody";
            if (body.TryGetProperty("$ref", out var reference) && description.Find(reference.GetString()![1..]) is { } resolved)
            {
                bodyPointer = reference.GetString()![1..];
                body = resolved;
            }
            BodyRequired = body.TryGetProperty("required", out var required) && required.GetBoolean();
            BodyMediaTypes = body.TryGetProperty("content", out var content)
                ? content.EnumerateObject().ToDictionary(c => c.Name, c => $"{bodyPointer}/content/{ApiDescription.Escape(c.Name)}/schema", StringComparer.OrdinalIgnoreCase)
                : [];
        }
        Statuses = operation.TryGetProperty("responses", out var responses) ? [.. responses.EnumerateObject().Select(r => r.Name)] : [];
    }

    public string Method { get; }

    /// <summary>The path as the description writes it, e.g. /repos/{owner}/{repo}/pulls.</summary>
    public string Template { get; }

    public string OperationId { get; }

    public IReadOnlyList<ApiParameter> Parameters { get; }

    /// <summary>A path parameter may span segments (GitHub's x-multi-segment: refs, branch names with '/').</summary>
    public bool IsMultiSegment { get; }

    public bool BodyRequired { get; }

    /// <summary>Declared request media types and the pointer to each one's schema; empty when the operation takes no body.</summary>
    public IReadOnlyDictionary<string, string> BodyMediaTypes { get; } = new Dictionary<string, string>();

    /// <summary>Declared answer statuses ("200", "4XX", "default").</summary>
    public IReadOnlyList<string> Statuses { get; }

    public override string ToString() => $"{OperationId} ({Method} {Template})";

    /// <param name="multiSegment">Path parameters a contract's tolerance lets span '/' beyond those the description marks.</param>
    internal IReadOnlyDictionary<string, string>? Match(string path, IReadOnlyCollection<string>? multiSegment = null)
    {
        var match = (multiSegment is { Count: > 0 } ? Pattern(multiSegment) : pattern).Match(path);
        if (!match.Success)
            return null;
        var values = new Dictionary<string, string>();
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (match.Groups[$"p{i + 1}"] is { Success: true } group)
                values[Parameters[i].Name] = Uri.UnescapeDataString(group.Value);
        }
        return values;
    }

    private Regex Pattern(IReadOnlyCollection<string> multiSegment) =>
        new("^" + Regex.Replace(Regex.Escape(Template).Replace(@"\{", "{"), @"\{([^}]+)}", match =>
        {
            var name = match.Groups[1].Value;
            // A contract's multi-segment parameter may be empty too: Bitbucket lists the root as src/{commit}/.
            var span = multiSegment.Contains(name) ? ".*" : Parameters.Any(p => p.In == "path" && p.Name == name && p.MultiSegment) ? ".+" : "[^/]+";
            return $"(?<p{Parameters.ToList().FindIndex(p => p.In == "path" && p.Name == name) + 1}>{span})";
        }) + "$");

    /// <summary>Whether the description declares this answer status for the operation (exactly, as nXX, or default).</summary>
    public bool Declares(int status) =>
        Statuses.Contains(status.ToString(CultureInfo.InvariantCulture)) || Statuses.Contains($"{status / 100}XX") || Statuses.Contains("default");

    /// <summary>The pointer to the schema of an answer's JSON body, when the vendored description has all of it.</summary>
    internal string? ResponseSchema(int status)
    {
        var key = Statuses.Contains(status.ToString(CultureInfo.InvariantCulture)) ? status.ToString(CultureInfo.InvariantCulture) : "default";
        var response = $"{pointer}/responses/{key}";
        if (description.Find(response) is { } element && element.TryGetProperty("$ref", out var reference))
            response = reference.GetString()![1..];
        var schema = $"{response}/content/application~1json/schema";
        return description.Find(schema) is not null && description.Resolves(schema) ? schema : null;
    }

    /// <summary>Checks path and query parameters: types, enums, required ones, and none the description does not declare.</summary>
    internal IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, string> pathValues, IReadOnlyList<KeyValuePair<string, string>> query,
        Func<string, string?> header)
    {
        foreach (var parameter in Parameters)
        {
            string? value = parameter.In switch
            {
                "path" => pathValues.GetValueOrDefault(parameter.Name),
                "query" => query.Where(q => q.Key == parameter.Name).Select(q => q.Value).FirstOrDefault(),
                "header" => header(parameter.Name),
                _ => null,
            };
            if (value is null)
            {
                if (parameter.Required && parameter.In != "header")
                    yield return $"required {parameter.In} parameter '{parameter.Name}' is missing";
                continue;
            }
            if (parameter.SchemaPointer is not null && !parameter.Accepts(description, value, out var why))
                yield return $"{parameter.In} parameter '{parameter.Name}' = '{value}': {why}";
        }
        foreach (var name in query.Select(q => q.Key).Distinct())
        {
            if (!Parameters.Any(p => p.In == "query" && p.Name == name))
                yield return $"query parameter '{name}' is not in the description";
        }
    }

    private IEnumerable<ApiParameter> ParametersOf(JsonElement owner, string ownerPointer)
    {
        if (!owner.TryGetProperty("parameters", out var parameters))
            yield break;
        var index = 0;
        foreach (var raw in parameters.EnumerateArray())
        {
            var parameter = raw;
            var at = $"{ownerPointer}/parameters/{index++}";
            if (parameter.TryGetProperty("$ref", out var reference) && description.Find(reference.GetString()![1..]) is { } resolved)
            {
                at = reference.GetString()![1..];
                parameter = resolved;
            }
            if (!parameter.TryGetProperty("name", out var name) || !parameter.TryGetProperty("in", out var location))
                continue;
            yield return new ApiParameter(
                name.GetString()!,
                location.GetString()!,
                parameter.TryGetProperty("required", out var required) && required.GetBoolean(),
                parameter.TryGetProperty("schema", out _) ? at + "/schema" : null,
                parameter.TryGetProperty("x-multi-segment", out var multi) && multi.ValueKind == JsonValueKind.True);
        }
    }
}

/// <summary>A declared parameter; its schema is checked against the text value (integers, booleans, enums).</summary>
public sealed record ApiParameter(string Name, string In, bool Required, string? SchemaPointer, bool MultiSegment)
{
    internal bool Accepts(ApiDescription description, string value, out string why)
    {
        why = "";
        if (description.Find(SchemaPointer!) is not { } schema)
            return true;
        var types = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToArray() : [type.GetString()]
            : [];
        JsonElement instance;
        // Arrays and objects in a query string have forge-specific encodings: their items are the forge client's business.
        if (types.Contains("array") || types.Contains("object"))
            return true;
        // A parameter that may be a string (GitLab's id: a number or a URL-encoded path) takes any text.
        if (types.Contains("string"))
        {
            instance = JsonSerializer.SerializeToElement(value);
        }
        else if (types.Contains("integer") || types.Contains("number"))
        {
            if (!decimal.TryParse(value, NumberStyles.Integer | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                why = $"not a {string.Join("/", types)}";
                return false;
            }
            instance = JsonDocument.Parse(value).RootElement.Clone();
        }
        else if (types.Contains("boolean"))
        {
            if (value is not ("true" or "false"))
            {
                why = "not a boolean";
                return false;
            }
            instance = JsonDocument.Parse(value).RootElement.Clone();
        }
        else
        {
            instance = JsonSerializer.SerializeToElement(value);
        }
        var errors = description.Validate(SchemaPointer!, instance);
        why = string.Join("; ", errors);
        return errors.Count == 0;
    }
}
