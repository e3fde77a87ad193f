using GitOps.Build.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// Proves an edit changed only what it meant to: the text outside the edits is the original text, and a
/// re-parse yields the original event stream except for the edited scalars, which hold the planned values,
/// and the inserted nodes, which yield exactly their planned events. Only the documents holding edits are
/// re-parsed: the rest is unchanged text, and a document ends at a "---" or "..." line whatever precedes it.
/// </summary>
internal static class EditVerifier
{
    // expectedValues: the new value of each edited scalar, keyed by the scalar's end index in the original text.
    // insertions: where each insertion is and the events it adds, as tokens: "{", "}", "[", "]", or "=" and a scalar value.
    // documents: the slices of the original text to re-parse on their own; null re-parses the whole text.
    // originalEvents: for each slice, the events the parse that located the edits read (null: not parsed), so that only
    // the edited text is parsed here.
    public static void Verify(ManifestText original, string edited, IReadOnlyList<TextEdit> edits,
        IReadOnlyDictionary<int, string> expectedValues, IReadOnlyList<(int At, IReadOnlyList<string> Events)>? insertions = null,
        IReadOnlyList<DocumentSlice>? documents = null, IReadOnlyList<IReadOnlyList<ParsingEvent>?>? originalEvents = null)
    {
        var problem = UnchangedOutsideEdits(original.Text, edited, edits)
            ?? SameEventsInEditedDocuments(original, edited, edits, expectedValues, insertions ?? [], documents ?? [DocumentSlice.Whole(original.Text)], originalEvents);
        if (problem is not null)
        {
            throw new GitOpsException(Errors.ManifestEditUnverifiable, original.Path, problem);
        }
    }

    private static string? SameEventsInEditedDocuments(ManifestText original, string edited, IReadOnlyList<TextEdit> edits,
        IReadOnlyDictionary<int, string> expectedValues, IReadOnlyList<(int At, IReadOnlyList<string> Events)> insertions, IReadOnlyList<DocumentSlice> documents,
        IReadOnlyList<IReadOnlyList<ParsingEvent>?>? originalEvents)
    {
        // The document that holds what ends at an index; an insertion at a boundary ends the document before it.
        int DocumentOf(int end)
        {
            int low = 0, high = documents.Count - 1;
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                (low, high) = documents[middle].Start < end ? (middle, high) : (low, middle - 1);
            }

            return low;
        }

        var editsByDocument = edits.ToLookup(e => DocumentOf(e.End));
        var expectedByDocument = expectedValues.ToLookup(p => DocumentOf(p.Key));
        var insertionsByDocument = insertions.ToLookup(i => DocumentOf(i.At), i => i.Events);
        var touched = new SortedSet<int>([.. editsByDocument.Select(g => g.Key), .. expectedByDocument.Select(g => g.Key), .. insertionsByDocument.Select(g => g.Key)]);
        var shift = 0;
        foreach (var index in touched)
        {
            var document = documents[index];
            if (editsByDocument[index].Any(e => e.Start < document.Start))
            {
                return $"an edit crosses the start of the document at index {document.Start}";
            }

            var growth = editsByDocument[index].Sum(e => e.Replacement.Length - (e.End - e.Start));
            var before = originalEvents?[index] ?? Events(original.Text.Substring(document.Start, document.Length));
            var problem = SameEvents(before, edited.Substring(document.Start + shift, document.Length + growth),
                expectedByDocument[index].ToDictionary(p => p.Key - document.Start, p => p.Value),
                [.. insertionsByDocument[index]], original.Position(document.Start).Line - 1);
            if (problem is not null)
            {
                return problem;
            }

            shift += growth;
        }

        return null;
    }

    private static string? UnchangedOutsideEdits(string original, string edited, IReadOnlyList<TextEdit> edits)
    {
        var shift = 0;
        var position = 0;
        foreach (var edit in edits.OrderBy(e => e.Start))
        {
            if (string.CompareOrdinal(original, position, edited, position + shift, edit.Start - position) != 0)
            {
                return $"text before index {edit.Start} changed";
            }

            shift += edit.Replacement.Length - (edit.End - edit.Start);
            position = edit.End;
        }

        return original.Length + shift == edited.Length
            && string.CompareOrdinal(original, position, edited, position + shift, original.Length - position) == 0
            ? null
            : "text after the last edit changed";
    }

    // lineOffset: the lines of the whole text before <original>, so messages give whole-file line numbers.
    private static string? SameEvents(IReadOnlyList<ParsingEvent> before, string edited, IReadOnlyDictionary<int, string> expectedValues, IReadOnlyList<IReadOnlyList<string>> insertions, int lineOffset)
    {
        List<ParsingEvent> after;
        try
        {
            after = Events(edited);
        }
        catch (YamlException e)
        {
            return "the edited text does not parse: " + e.Message;
        }

        var expectedCount = before.Count + insertions.Sum(i => i.Count);
        if (expectedCount != after.Count)
        {
            return $"the document structure changed ({expectedCount} parser events expected, {after.Count} found)";
        }

        // Insertions only ever end a collection, so where the streams first differ the next insertion must start.
        var editedCount = 0;
        var inserted = 0;
        for (int i = 0, j = 0; i < before.Count; i++, j++)
        {
            var difference = Difference(before[i], after[j], expectedValues, ref editedCount);
            if (difference is not null && inserted < insertions.Count && IsInsertion(after, j, insertions[inserted]))
            {
                j += insertions[inserted++].Count;
                difference = Difference(before[i], after[j], expectedValues, ref editedCount);
            }

            if (difference is not null)
            {
                return $"line {before[i].Start.Line + lineOffset}: {difference}";
            }
        }

        return editedCount == expectedValues.Count && inserted == insertions.Count
            ? null
            : $"{expectedValues.Count} scalars were to change and {insertions.Count} nodes to be added, but {editedCount} changes and {inserted} additions were found";
    }

    private static string? Difference(ParsingEvent before, ParsingEvent after, IReadOnlyDictionary<int, string> expectedValues, ref int edited)
    {
        if (before.GetType() != after.GetType())
        {
            return $"a {before.GetType().Name} became a {after.GetType().Name}";
        }

        if (before is NodeEvent node && (node.Anchor != ((NodeEvent)after).Anchor || node.Tag != ((NodeEvent)after).Tag))
        {
            return "an anchor or tag changed";
        }

        switch (before, after)
        {
            case (Scalar b, Scalar a) when expectedValues.TryGetValue(checked((int)b.End.Index), out var expected):
                if (a.Value != expected)
                {
                    return $"'{b.Value}' became '{a.Value}', not '{expected}'";
                }

                if (a.Style == ScalarStyle.Plain && a.Tag.IsEmpty && ScalarRenderer.ReadsAsNonString(a.Value))
                {
                    return $"'{a.Value}' would be read as a number, bool or null, not a string";
                }

                edited++;
                return null;
            case (Scalar b, Scalar a):
                return b.Value == a.Value && b.Style == a.Style && b.IsPlainImplicit == a.IsPlainImplicit && b.IsQuotedImplicit == a.IsQuotedImplicit
                    ? null : $"the unedited scalar '{b.Value}' became '{a.Value}'";
            case (AnchorAlias b, AnchorAlias a):
                return b.Value == a.Value ? null : "an alias changed";
            case (MappingStart b, MappingStart a):
                return b.Style == a.Style && b.IsImplicit == a.IsImplicit ? null : "a mapping's style changed";
            case (SequenceStart b, SequenceStart a):
                return b.Style == a.Style && b.IsImplicit == a.IsImplicit ? null : "a sequence's style changed";
            case (DocumentStart b, DocumentStart a):
                return b.IsImplicit == a.IsImplicit ? null : "a document start marker changed";
            case (DocumentEnd b, DocumentEnd a):
                return b.IsImplicit == a.IsImplicit ? null : "a document end marker changed";
            default:
                return null;
        }
    }

    private static bool IsInsertion(List<ParsingEvent> events, int start, IReadOnlyList<string> tokens)
    {
        for (var k = 0; k < tokens.Count; k++)
        {
            var matches = start + k < events.Count && (events[start + k], tokens[k]) switch
            {
                (MappingStart, "{") or (MappingEnd, "}") or (SequenceStart, "[") or (SequenceEnd, "]") => true,
                (Scalar scalar, var token) => token == "=" + scalar.Value,
                _ => false,
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    internal static List<ParsingEvent> Events(string text)
    {
        var parser = YamlParsing.Open(text);
        var events = new List<ParsingEvent>();
        while (parser.MoveNext())
        {
            events.Add(parser.Current!);
        }

        return events;
    }
}
