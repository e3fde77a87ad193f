using System.Text;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Deploy;

/// <summary>
/// A unified diff of config changes for people to read (dry runs, CI summaries). Image edits replace whole
/// lines in place, so lines are paired by position; when the line count changes (an added entry) the
/// differing middle becomes one hunk.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Format(IEnumerable<ConfigFileChange> changes)
    {
        var text = new StringBuilder();
        foreach (var change in changes)
        {
            text.Append("--- a/").Append(change.Path).Append('\n');
            text.Append("+++ b/").Append(change.Path).Append('\n');
            AppendHunks(text, Lines(change.OldContent), Lines(change.NewContent));
        }
        return text.ToString();
    }

    private static string[] Lines(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content).TrimStart('\uFEFF').Replace("\r\n", "\n");
        if (text.EndsWith('\n')) text = text[..^1];
        return text.Length == 0 ? [] : text.Split('\n');
    }

    private static void AppendHunks(StringBuilder text, string[] before, string[] after)
    {
        foreach (var (start, beforeEnd, afterEnd) in ChangedRegions(before, after))
        {
            var from = Math.Max(0, start - Context);
            var toBefore = Math.Min(before.Length, beforeEnd + Context);
            var toAfter = Math.Min(after.Length, afterEnd + Context);
            text.Append($"@@ -{from + 1},{toBefore - from} +{from + 1},{toAfter - from} @@\n");
            for (var i = from; i < start; i++) text.Append(' ').Append(before[i]).Append('\n');
            if (before.Length == after.Length)
            {
                // In-place edits: lines between two edits of one hunk are context, not removed and re-added.
                for (var i = start; i < beforeEnd; i++)
                {
                    if (before[i] == after[i]) text.Append(' ').Append(before[i]).Append('\n');
                    else text.Append('-').Append(before[i]).Append('\n').Append('+').Append(after[i]).Append('\n');
                }
            }
            else
            {
                for (var i = start; i < beforeEnd; i++) text.Append('-').Append(before[i]).Append('\n');
                for (var i = start; i < afterEnd; i++) text.Append('+').Append(after[i]).Append('\n');
            }
            for (var i = beforeEnd; i < toBefore; i++) text.Append(' ').Append(before[i]).Append('\n');
        }
    }

    // Regions as (first changed line, end in before, end in after); nearby regions merge so context never overlaps.
    private static IEnumerable<(int Start, int BeforeEnd, int AfterEnd)> ChangedRegions(string[] before, string[] after)
    {
        if (before.Length != after.Length)
        {
            var prefix = 0;
            while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix]) prefix++;
            var suffix = 0;
            while (suffix < before.Length - prefix && suffix < after.Length - prefix
                   && before[^(suffix + 1)] == after[^(suffix + 1)]) suffix++;
            yield return (prefix, before.Length - suffix, after.Length - suffix);
            yield break;
        }

        (int Start, int End)? open = null;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == after[i]) continue;
            if (open is { } region && i - region.End <= 2 * Context)
            {
                open = (region.Start, i + 1);
                continue;
            }
            if (open is { } done) yield return (done.Start, done.End, done.End);
            open = (i, i + 1);
        }
        if (open is { } last) yield return (last.Start, last.End, last.End);
    }
}
