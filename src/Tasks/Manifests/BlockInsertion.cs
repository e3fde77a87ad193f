using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>
/// Text for adding a key to a block mapping or an item to a block sequence, indented like its siblings
/// and with the file's line endings, inserted after the collection's last line.
/// </summary>
internal static class BlockInsertion
{
    /// <summary>Lines "key: value" for the end of <paramref name="mapping"/>.</summary>
    public static TextEdit AddKeys(ManifestText manifest, YamlMapping mapping, IReadOnlyList<(string Key, string Value)> entries)
    {
        RequireBlock(manifest, mapping.IsFlow, mapping.Start);
        var firstKey = mapping.Entries[0].Key;
        var indent = new string(' ', firstKey.Start - LineStart(manifest.Text, firstKey.Start));
        return Insert(manifest, mapping.End, eol => string.Concat(entries.Select(e => indent + e.Key + ": " + e.Value + eol)));
    }

    /// <summary>A "- key: value" item of mapping entries for the end of <paramref name="sequence"/>.</summary>
    public static TextEdit AddMappingItem(ManifestText manifest, YamlSequence sequence, IReadOnlyList<(string Key, string Value)> entries)
    {
        RequireBlock(manifest, sequence.IsFlow, sequence.Start);
        var text = manifest.Text;
        var itemStart = sequence.Items[^1].Start;
        var dash = itemStart - 1;
        while (dash >= 0 && text[dash] is ' ' or '\t')
        {
            dash--;
        }

        // Only the common shape "<spaces>-<spaces>key: value" is copied; anything else is left to the user.
        var lineStart = LineStart(text, itemStart);
        if (dash < lineStart || text[dash] != '-' || text[lineStart..dash].Any(c => c != ' '))
        {
            RequireBlock(manifest, isFlow: true, sequence.Start);
        }

        var indent = text[lineStart..dash];

        var afterDash = text[(dash + 1)..itemStart];
        var continuation = indent + new string(' ', 1 + afterDash.Length);
        return Insert(manifest, sequence.End, eol => indent + "-" + afterDash
            + string.Join(eol + continuation, entries.Select(e => e.Key + ": " + e.Value)) + eol);
    }

    /// <summary>"key:" and a sequence with one mapping item, at the end of <paramref name="root"/>.</summary>
    public static TextEdit AddSequenceKey(ManifestText manifest, YamlMapping root, string key, IReadOnlyList<(string Key, string Value)> entries)
    {
        RequireBlock(manifest, root.IsFlow, root.Start);
        var firstKey = root.Entries[0].Key;
        var indent = new string(' ', firstKey.Start - LineStart(manifest.Text, firstKey.Start));
        return Insert(manifest, root.End, eol => indent + key + ":" + eol + indent + "- "
            + string.Join(eol + indent + "  ", entries.Select(e => e.Key + ": " + e.Value)) + eol);
    }

    private static TextEdit Insert(ManifestText manifest, int end, Func<string, string> lines)
    {
        var text = manifest.Text;

        // A block scalar's text already ends with its line break; otherwise insert after the line holding the end.
        var newline = end > 0 && text[end - 1] == '\n' ? end - 1 : text.IndexOf('\n', end);
        var eol = newline > 0 && text[newline - 1] == '\r' ? "\r\n" : manifest.Text.Contains("\r\n", StringComparison.Ordinal) && newline < 0 ? "\r\n" : "\n";
        return newline < 0
            ? new TextEdit(text.Length, text.Length, eol + lines(eol))
            : new TextEdit(newline + 1, newline + 1, lines(eol));
    }

    private static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    private static void RequireBlock(ManifestText manifest, bool isFlow, int start)
    {
        if (isFlow)
        {
            throw new GitOpsException(Errors.ImageEntryNotAddable, manifest.Path, manifest.Position(start).Line);
        }
    }
}
