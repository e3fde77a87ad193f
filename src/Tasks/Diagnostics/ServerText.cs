namespace GitOps.Build.Diagnostics;

/// <summary>
/// Words a server chose (a commit status's context and description, an Argo CD message) as a log line or an error
/// quotes them: the first line, cut short. A poster may write megabytes, and each change of state logs them again.
/// </summary>
internal static class ServerText
{
    /// <summary>What a log line quotes of a name or a state.</summary>
    public const int MaxLength = 300;

    /// <summary>What an error quotes of why a target failed (an Argo CD message naming several resources).</summary>
    public const int MaxDetailLength = 1000;

    /// <summary>The first line of <paramref name="text"/>, at most <paramref name="maxLength"/> characters; … where more was left out.</summary>
    public static string Brief(string text, int maxLength = MaxLength)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        var line = (end < 0 ? text : text[..end]).TrimEnd();
        var cut = end >= 0 && !text.AsSpan(end).IsWhiteSpace();
        if (line.Length > maxLength)
        {
            // Not between the halves of a surrogate pair.
            line = line[..(char.IsHighSurrogate(line[maxLength - 1]) ? maxLength - 1 : maxLength)];
            cut = true;
        }
        return cut ? line + "…" : line;
    }

    /// <inheritdoc cref="Brief(string, int)"/>
    public static string? BriefOrNull(string? text, int maxLength = MaxLength) => text is null ? null : Brief(text, maxLength);
}
