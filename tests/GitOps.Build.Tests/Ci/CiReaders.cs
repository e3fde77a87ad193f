using System.Net;
using System.Text.RegularExpressions;
using Markdig;

namespace GitOps.Build.Tests.Ci;

/// <summary>
/// What the CI systems make of a build's log and job summary, as their documentation describes it: the runners cannot
/// run here, so these stand in for them (the Markdown by a CommonMark renderer with GitHub's tables and autolinks).
/// </summary>
internal static partial class CiReaders
{
    private static readonly MarkdownPipeline GitHubMarkdown = new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().Build();

    /// <summary>The lines a runner reads: it splits the output at CR, LF and CRLF.</summary>
    public static IEnumerable<string> Lines(IEnumerable<string> messages) =>
        messages.SelectMany(message => LineBreak().Split(message));

    /// <summary>
    /// Azure Pipelines' logging commands: <c>##vso[</c> anywhere in a line, in any case ("Logging commands", Azure
    /// Pipelines docs); <c>##[</c> formats a line (and is GitHub's older command form).
    /// </summary>
    public static IReadOnlyList<string> AzureCommands(IEnumerable<string> messages) =>
        Lines(messages).Where(line => line.Contains("##vso[", StringComparison.OrdinalIgnoreCase) || line.Contains("##[", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// GitHub Actions' workflow commands: a line that starts with <c>::</c> once leading blanks are trimmed, unless
    /// between <c>::stop-commands::TOKEN</c> and <c>::TOKEN::</c> ("Workflow commands for GitHub Actions").
    /// </summary>
    public static IReadOnlyList<string> GitHubCommands(IEnumerable<string> messages)
    {
        var obeyed = new List<string>();
        string? stopped = null;
        foreach (var line in Lines(messages).Select(line => line.TrimStart()))
        {
            if (stopped is not null)
            {
                if (line == $"::{stopped}::") stopped = null;
            }
            else if (line.StartsWith("::stop-commands::", StringComparison.Ordinal))
                stopped = line["::stop-commands::".Length..];
            else if (line.StartsWith("::", StringComparison.Ordinal))
                obeyed.Add(line);
        }
        Assert.IsNull(stopped, "commands were stopped and never resumed");
        return obeyed;
    }

    /// <summary>The value Azure Pipelines gives a variable set by <c>##vso[task.setvariable …]value</c>: it unescapes %0D, %0A, %AZP25.</summary>
    public static string AzureVariableValue(string data) =>
        data.Replace("%0D", "\r", StringComparison.Ordinal).Replace("%0A", "\n", StringComparison.Ordinal).Replace("%AZP25", "%", StringComparison.Ordinal);

    /// <summary>A job summary as GitHub shows it: HTML.</summary>
    public static string Render(string markdown) => Markdown.ToHtml(markdown, GitHubMarkdown);

    /// <summary>Each table row's cells, as a reader sees their text.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> TableRows(string html) =>
        Row().Matches(html).Select(row => (IReadOnlyList<string>)Cell().Matches(row.Value).Select(cell => Text(cell.Groups["content"].Value)).ToList()).ToList();

    /// <summary>What a reader sees of some HTML: the text, tags gone, entities decoded.</summary>
    public static string Text(string html) => WebUtility.HtmlDecode(Tag().Replace(html, ""));

    [GeneratedRegex(@"\r\n|\r|\n")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex(@"<t[dh][^>]*>(?<content>.*?)</t[dh]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();
}
