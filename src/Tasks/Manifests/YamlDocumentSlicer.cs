namespace GitOps.Build.Manifests;

/// <summary>
/// A stretch of the manifest text from Start to End (exclusive, UTF-16 indices): one document with its
/// directives and leading comments, or (<see cref="IsDocument"/> false) only comments after the last document.
/// </summary>
internal readonly record struct DocumentSlice(int Start, int End, bool IsDocument)
{
    public int Length => End - Start;

    public static DocumentSlice Whole(string text) => new(0, text.Length, true);
}

/// <summary>
/// Splits a YAML stream into its documents without parsing it, so that large files need only the documents
/// that matter parsed. A line starting with "---" or "..." and then white space or a line break ends a
/// document wherever it is (YAML 1.2, 9.1.4: no scalar may contain one), so every slice parses alone as it
/// does in the whole stream.
/// </summary>
internal static class YamlDocumentSlicer
{
    /// <summary>
    /// The slices, in order and without gaps; null where YamlDotNet, which parses the whole stream on the full
    /// path, departs from the spec: it continues a root block scalar ("--- |") past a "---" line, and rejects a
    /// second %YAML directive in a stream.
    /// </summary>
    public static List<DocumentSlice>? Slice(string text)
    {
        var slices = new List<DocumentSlice>();
        var start = 0;
        var inDocument = false;

        // Whether the root node's first token is still to come (after "---", comments and blank lines may precede it).
        var rootPending = false;

        // Where the next lines starting with "---" and "..." may be (searched ahead, kept until passed).
        int dashes = 0, dots = 0;
        var versionDirectives = 0;
        for (int line = 0, next; line < text.Length; line = next)
        {
            next = text.IndexOf('\n', line) + 1;
            next = next == 0 ? text.Length : next;
            var marker = MarkerAt(text, line);
            if (marker == '-')
            {
                if (inDocument)
                {
                    slices.Add(new DocumentSlice(start, line, true));
                    start = line;
                }

                inDocument = rootPending = true;
            }
            else if (marker == '.' && inDocument)
            {
                slices.Add(new DocumentSlice(start, next, true));
                start = next;
                inDocument = rootPending = false;
                continue;
            }
            else if (!inDocument && (marker == '.' || IsBlankCommentOrDirective(text, line, next)))
            {
                if (text.AsSpan(line).StartsWith("%YAML", StringComparison.Ordinal) && ++versionDirectives > 1)
                {
                    return null;
                }

                // Directives and comments before a document belong to it (and so does a stray "...").
                continue;
            }
            else if (!inDocument)
            {
                inDocument = rootPending = true;
            }

            if (rootPending)
            {
                var first = FirstToken(text, marker == '-' ? line + 3 : line, next);
                if (first is not ('\0' or '#'))
                {
                    rootPending = false;
                    if (first is '|' or '>' or '!' or '&')
                    {
                        // A block scalar, or node properties that may precede one.
                        return null;
                    }
                }
            }

            if (!rootPending && next < text.Length)
            {
                // Within a document only marker lines matter: skip to the next candidate line (vectorized searches).
                dashes = dashes >= next ? dashes : LineStartingWith("\n---", text, next);
                dots = dots >= next ? dots : LineStartingWith("\n...", text, next);
                next = Math.Min(dashes, dots);
            }
        }

        if (start < text.Length || slices.Count == 0)
        {
            slices.Add(new DocumentSlice(start, text.Length, inDocument));
        }

        return slices;
    }

    /// <summary>The start of the first line at or after the line start <paramref name="from"/> that starts like <paramref name="pattern"/> ("\n" and its start); the text's length if none.</summary>
    private static int LineStartingWith(string pattern, string text, int from)
    {
        var index = text.AsSpan(from - 1).IndexOf(pattern, StringComparison.Ordinal);
        return index < 0 ? text.Length : from + index;
    }

    /// <summary>'-' for a "---" line, '.' for a "..." line, else '\0'.</summary>
    private static char MarkerAt(string text, int line)
    {
        if (line + 3 > text.Length || text[line] is not ('-' or '.') || text[line + 1] != text[line] || text[line + 2] != text[line])
        {
            return '\0';
        }

        return line + 3 == text.Length || text[line + 3] is ' ' or '\t' or '\r' or '\n' ? text[line] : '\0';
    }

    private static bool IsBlankCommentOrDirective(string text, int line, int next) =>
        text[line] == '%' || FirstToken(text, line, next) is '\0' or '#';

    /// <summary>The first character after white space before <paramref name="next"/>, or '\0' at the end of the line.</summary>
    private static char FirstToken(string text, int from, int next)
    {
        for (var i = from; i < next; i++)
        {
            if (text[i] is not (' ' or '\t' or '\r' or '\n'))
            {
                return text[i];
            }
        }

        return '\0';
    }
}
