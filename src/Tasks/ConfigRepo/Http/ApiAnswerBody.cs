namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// The body of a JSON API's answer (a forge, Argo CD), read whole within bounds before any parser sees it: at most
/// <see cref="MaxBytes"/> (a server that sends without end cannot fill memory) and nested at most
/// <see cref="MaxDepth"/> deep (Octokit's JSON parser recurses once per level, so a deep enough answer would overflow
/// the stack and kill the build's process, which no catch can stop).
/// </summary>
internal static class ApiAnswerBody
{
    /// <summary>A page of 100 pull requests with their bodies is some 2 MB; a forge never sends 32.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>System.Text.Json's own default; the answers read nest a dozen levels at most.</summary>
    public const int MaxDepth = 64;

    /// <summary>The body, or null when it is longer than <see cref="MaxBytes"/> (then not read further).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxBytes)
            return null;
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBytes)
                return null;
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    /// <summary>
    /// Whether <paramref name="body"/> opens more than <see cref="MaxDepth"/> arrays or objects at once, counted as a
    /// JSON parser counts them (brackets inside strings are text). Whatever the content type says: Octokit parses
    /// error bodies of any type.
    /// </summary>
    public static bool TooDeep(ReadOnlySpan<byte> body)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case (byte)'"': inString = true; break;
                case (byte)'[' or (byte)'{':
                    if (++depth > MaxDepth) return true;
                    break;
                case (byte)']' or (byte)'}':
                    if (depth > 0) depth--;
                    break;
            }
        }
        return false;
    }

    /// <summary>The answer's content replaced by the bytes read, with its headers (content type, charset) kept.</summary>
    public static HttpContent Buffered(HttpContent original, byte[] body)
    {
        var content = new ByteArrayContent(body);
        foreach (var header in original.Headers)
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return content;
    }
}
