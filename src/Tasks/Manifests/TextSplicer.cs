namespace GitOps.Build.Manifests;

/// <summary>Replace the text from Start to End (exclusive, UTF-16 indices of the original text); Start == End inserts.</summary>
internal readonly record struct TextEdit(int Start, int End, string Replacement);

/// <summary>Applies non-overlapping edits to the original text and copies everything else as it was.</summary>
internal static class TextSplicer
{
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var builder = new System.Text.StringBuilder(text.Length + 64);
        var copied = 0;
        foreach (var edit in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            if (edit.Start < copied || edit.End < edit.Start || edit.End > text.Length)
            {
                throw new InvalidOperationException($"Overlapping or invalid edit {edit.Start}-{edit.End}.");
            }

            builder.Append(text, copied, edit.Start - copied).Append(edit.Replacement);
            copied = edit.End;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }
}
