using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>One field of a form body: a file field (multipart with a filename) keeps its bytes and its extra disposition parameters.</summary>
public sealed record ContractFormField(string Name, byte[] Content, string? FileName, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsFile => FileName is not null;

    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>
/// Reads a multipart/form-data or application/x-www-form-urlencoded body (RFC 7578, the WHATWG urlencoded form) into its
/// fields, so that the contract server validates a form body against the operation's schema as it does JSON: the
/// fields become one object, each value its text. A body that is not a well-formed form is a violation.
/// </summary>
public static class ContractForm
{
    public static bool IsForm(string? media) => media is "multipart/form-data" or "application/x-www-form-urlencoded";

    /// <exception cref="FormatException">The body is not a well-formed form of its content type.</exception>
    public static IReadOnlyList<ContractFormField> Parse(string contentType, byte[] body)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media == "multipart/form-data" ? Multipart(contentType, body) : UrlEncoded(Encoding.ASCII.GetString(body));
    }

    /// <summary>The fields as the object the schema validates: name → text (a repeated name keeps its last value).</summary>
    public static JsonObject AsObject(IEnumerable<ContractFormField> fields)
    {
        var json = new JsonObject();
        foreach (var field in fields)
            json[field.Name] = field.Text;
        return json;
    }

    private static List<ContractFormField> UrlEncoded(string text) =>
        [.. text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=');
            string Decode(string part) => Uri.UnescapeDataString(part.Replace('+', ' '));
            return new ContractFormField(Decode(equals < 0 ? pair : pair[..equals]), Encoding.UTF8.GetBytes(equals < 0 ? "" : Decode(pair[(equals + 1)..])), null,
                new Dictionary<string, string>());
        })];

    private static List<ContractFormField> Multipart(string contentType, byte[] body)
    {
        var boundary = Parameters(contentType).GetValueOrDefault("boundary") ?? throw new FormatException("multipart/form-data without a boundary");
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var fields = new List<ContractFormField>();
        var at = IndexOf(body, delimiter, 0);
        if (at < 0) throw new FormatException("no boundary in the body");
        while (true)
        {
            at += delimiter.Length;
            if (body.AsSpan(at).StartsWith("--"u8)) return fields; // the close delimiter
            if (!body.AsSpan(at).StartsWith("\r\n"u8)) throw new FormatException("a boundary not followed by CRLF");
            at += 2;
            var headersEnd = IndexOf(body, "\r\n\r\n"u8.ToArray(), at);
            if (headersEnd < 0) throw new FormatException("a part without the blank line after its headers");
            var headers = Encoding.UTF8.GetString(body, at, headersEnd - at).Split("\r\n");
            var start = headersEnd + 4;
            var next = IndexOf(body, [.. "\r\n"u8, .. delimiter], start);
            if (next < 0) throw new FormatException("a part without a closing boundary");
            var disposition = headers.FirstOrDefault(h => h.StartsWith("Content-Disposition:", StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException("a part without Content-Disposition");
            var value = disposition["Content-Disposition:".Length..].Trim();
            if (!value.StartsWith("form-data", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"a part's disposition is '{value}', not form-data");
            var parameters = Parameters(value);
            var name = parameters.GetValueOrDefault("name") ?? throw new FormatException("a part without a name");
            fields.Add(new ContractFormField(name, body[start..next], parameters.GetValueOrDefault("filename"), parameters));
            at = next + 2;
        }
    }

    // name=value pairs after the first ';', a value quoted or not (RFC 7578 quotes; the quotes are not part of it).
    private static Dictionary<string, string> Parameters(string header)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = header.Contains(';', StringComparison.Ordinal) ? header[(header.IndexOf(';', StringComparison.Ordinal) + 1)..] : "";
        var i = 0;
        while (i < rest.Length)
        {
            while (i < rest.Length && rest[i] is ' ' or ';') i++;
            var equals = rest.IndexOf('=', i);
            if (equals < 0) break;
            var name = rest[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < rest.Length && rest[i] == '"')
            {
                var close = rest.IndexOf('"', i + 1);
                if (close < 0) throw new FormatException("an unclosed quoted parameter");
                value = rest[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var end = rest.IndexOf(';', i);
                value = (end < 0 ? rest[i..] : rest[i..end]).Trim();
                i = end < 0 ? rest.Length : end;
            }
            found[name] = value;
        }
        return found;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var index = haystack.AsSpan(from).IndexOf(needle);
        return index < 0 ? -1 : from + index;
    }
}
