using System.Text.RegularExpressions;

namespace GitOps.Build.Verdict;

/// <summary>
/// One pattern of GitOpsDeployStatusContexts: '*' matches any characters, '/' included, and matching ignores case,
/// as forges treat contexts.
/// </summary>
internal sealed class ContextPattern
{
    private readonly Regex regex;

    private ContextPattern(string text)
    {
        Text = text;
        regex = new Regex("^" + string.Join(".*", text.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Text { get; }

    public bool Matches(string context) => regex.IsMatch(context);

    /// <summary>"kustomization/apps*;continuous-delivery/*": the ';'-separated patterns, blanks dropped.</summary>
    public static IReadOnlyList<ContextPattern> ParseList(string? value) =>
        [.. (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Select(p => new ContextPattern(p))];

    public override string ToString() => Text;
}
