namespace GitOps.Build.Manifests;

/// <summary>Replace the text from Start to End (exclusive, UTF-16 indices of the original text); Start == End inserts.</summary>
internal readonly record struct TextEdit(int Start, int End, string Replacement);

/// <summary>Applies non-overlapping edits to the original text and copies everything else as it was.</summary>
internal static class TextSplicer
{
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var ordered = edits.OrderBy(e => e.Start).ThenBy(e => e.End).ToList();
        var length = text.Length;
        var copied = 0;
        foreach (var edit in ordered)
        {
            if (edit.Start < copied || edit.End < edit.Start || edit.End > text.Length)
            {
                throw new InvalidOperationException($"Overlapping or invalid edit {edit.Start}-{edit.End}.");
            }

            length += edit.Replacement.Length - (edit.End - edit.Start);
            copied = edit.End;
        }

        // One copy of the text (which may be many megabytes), straight into the result.
        return string.Create(length, (text, ordered), static (result, state) =>
        {
            var (source, edits) = state;
            var copied = 0;
            foreach (var edit in edits)
            {
                source.AsSpan(copied, edit.Start - copied).CopyTo(result);
                result = result[(edit.Start - copied)..];
                edit.Replacement.AsSpan().CopyTo(result);
                result = result[edit.Replacement.Length..];
                copied = edit.End;
            }

            source.AsSpan(copied).CopyTo(result);
        });
    }
}
