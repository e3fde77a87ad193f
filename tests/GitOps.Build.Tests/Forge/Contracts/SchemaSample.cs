using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// The smallest instance a description's schema accepts: every required property, filled with its enum's first value,
/// its default, null for an object the schema lets be null, or a placeholder of its type and format. A simulation overlays the
/// fields it keeps state for (<see cref="Shaped"/>), so its answers carry every field the forge always sends without
/// the contract spelling out eighty URLs of a repository; the contract server still validates the result.
/// </summary>
internal static class SchemaSample
{
    private const string Timestamp = "2026-01-01T00:00:00Z";

    /// <summary>The sample of the schema at a pointer into the description, with <paramref name="overlay"/> merged over it (objects field by field, anything else replaced).</summary>
    public static JsonNode? Shaped(ApiDescription description, string pointer, JsonNode? overlay)
    {
        var sample = Of(description, pointer, depth: 0);
        return Merge(sample, overlay);
    }

    private static JsonNode? Merge(JsonNode? sample, JsonNode? overlay)
    {
        if (overlay is null)
            return sample;
        if (sample is not JsonObject into || overlay is not JsonObject from)
            return overlay.DeepClone();
        foreach (var (name, value) in from)
            into[name] = into[name] is JsonObject && value is JsonObject ? Merge(into[name], value) : value?.DeepClone();
        return into;
    }

    private static JsonNode? Of(ApiDescription description, string pointer, int depth)
    {
        if (depth > 32)
            throw new InvalidOperationException($"{description.File}: {pointer} nests too deep to sample");
        var schema = description.Find(pointer) ?? throw new InvalidOperationException($"{description.File} has no schema at {pointer}");
        if (schema.ValueKind != JsonValueKind.Object)
            return null;
        if (schema.TryGetProperty("$ref", out var reference))
            return Of(description, reference.GetString()![1..], depth + 1);
        if (schema.TryGetProperty("const", out var constant))
            return JsonNode.Parse(constant.GetRawText());
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
            return JsonNode.Parse(values[0].GetRawText());
        if (schema.TryGetProperty("allOf", out var all))
        {
            JsonNode? merged = null;
            for (var i = 0; i < all.GetArrayLength(); i++)
                merged = Merge(merged, Of(description, $"{pointer}/allOf/{i}", depth + 1));
            return merged;
        }
        var types = TypesOf(schema);
        // A nullable object (nullable-simple-user, a milestone, auto_merge) is absent: null. A nullable scalar (a
        // repository's created_at, a description) is what the forge sends in practice: a value of its type.
        if (types.Contains("null") && (types.Length == 1 || types.Contains("object") || types.Contains("array")))
            return null;
        types = [.. types.Where(t => t != "null")];
        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choice, out var options) && options.GetArrayLength() > 0)
            {
                // A nullable choice (OpenAPI 3.0's nullable on a oneOf) takes null; otherwise the first option.
                for (var i = 0; i < options.GetArrayLength(); i++)
                {
                    if (options[i].TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")
                        return null;
                }
                return Of(description, $"{pointer}/{choice}/0", depth + 1);
            }
        }
        if (schema.TryGetProperty("default", out var fallback))
            return JsonNode.Parse(fallback.GetRawText());
        var type = types.FirstOrDefault() ?? (schema.TryGetProperty("properties", out _) ? "object" : null);
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                if (schema.TryGetProperty("required", out var required) && schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
                    {
                        if (properties.TryGetProperty(name, out _))
                            result[name] = Of(description, $"{pointer}/properties/{ApiDescription.Escape(name)}", depth + 1);
                    }
                }
                return result;
            case "array":
                var array = new JsonArray();
                var minimum = schema.TryGetProperty("minItems", out var min) ? min.GetInt32() : 0;
                for (var i = 0; i < minimum; i++)
                    array.Add(Of(description, pointer + "/items", depth + 1));
                return array;
            case "integer" or "number":
                return schema.TryGetProperty("minimum", out var least) ? JsonNode.Parse(least.GetRawText()) : JsonValue.Create(1);
            case "boolean":
                return JsonValue.Create(false);
            case "string":
                return JsonValue.Create(StringOf(schema));
            default:
                return new JsonObject();
        }
    }

    private static string StringOf(JsonElement schema)
    {
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var text = format switch
        {
            "date-time" => Timestamp,
            "date" => Timestamp[..10],
            "uri" or "url" => "https://github.example/sample",
            "email" => "sample@github.example",
            _ => "sample",
        };
        var least = schema.TryGetProperty("minLength", out var m) ? m.GetInt32() : 0;
        return text.Length >= least ? text : text + new string('x', least - text.Length);
    }

    private static string[] TypesOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    internal static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
