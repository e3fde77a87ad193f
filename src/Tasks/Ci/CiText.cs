using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Build.Ci;

/// <summary>
/// Text that may come from the config repository (manifest lines, trailer values, a server's message), escaped for each
/// channel a CI system reads commands or markup from, so that it is shown there and never obeyed. The one place for it:
/// <list type="bullet">
/// <item>the build log, for whatever shows it: terminal controls (escape sequences, a lone CR, bidi overrides) are
/// shown as symbols;</item>
/// <item>the build log: Azure Pipelines obeys <c>##vso[</c> anywhere in a line and formats <c>##[</c> lines, GitHub
/// Actions obeys <c>::</c> at the start of a line (after blanks) and its older <c>##[</c> form;</item>
/// <item>the GitHub job summary (Markdown): a table cell ends at <c>|</c> or a line break, and links, images and HTML
/// render; a fenced block ends at a fence as long as its own;</item>
/// <item>step outputs, GitLab's dotenv report and Azure variables: one value per line.</item>
/// </list>
/// </summary>
internal static partial class CiText
{
    // Splits a command marker without changing what a reader sees: neither runner trims it, nor takes it for a blank.
    private const string ZeroWidthSpace = "\u200B";

    /// <summary>
    /// A message for the build log, every line escaped for every CI system. Under GitHub Actions the lines after the
    /// first (a diff, a server's output) are shown as they are between <c>::stop-commands::</c> and its resume token,
    /// which only this build knows.
    /// </summary>
    public static string LogMessage(string message, bool gitHubActions)
    {
        message = TerminalControlsOff(message);
        var lineBreak = message.AsSpan().IndexOfAny('\r', '\n');
        if (!gitHubActions || lineBreak < 0) return LogLines(message);
        var block = message[(message.AsSpan(lineBreak).StartsWith("\r\n") ? lineBreak + 2 : lineBreak + 1)..];
        var token = Token(block);
        return LogLines(message[..lineBreak]) + "\n::stop-commands::" + token + "\n" + AzureCommandsOff(block) + "\n::" + token + "::";
    }

    /// <summary>Every line of <paramref name="text"/> made inert for Azure Pipelines and GitHub Actions.</summary>
    public static string LogLines(string text) => GitHubCommandStart().Replace(AzureCommandsOff(TerminalControlsOff(text)), ":" + ZeroWidthSpace);

    /// <summary>
    /// Control characters shown, not obeyed, by the terminal or viewer of the log: ESC and the C1 controls start escape
    /// sequences (colours, hidden text, cursor moves, a window's title), a lone CR overwrites the line, bidi overrides
    /// reorder it. Each becomes its control picture (ESC: ␛) or U+FFFD; tabs and line breaks stay.
    /// </summary>
    private static string TerminalControlsOff(string text) => TerminalControl().Replace(text, match => match.Value[0] switch
    {
        var c and < ' ' => ((char)(0x2400 + c)).ToString(),
        '\u007f' => "\u2421",
        _ => "\uFFFD",
    });

    /// <summary>A value of a <c>##vso[task.setvariable …]</c> command: the agent turns %0D, %0A and %AZP25 back into CR, LF and %.</summary>
    public static string AzureValue(string? value) =>
        (value ?? "").Replace("%", "%AZP25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A value on one line of a <c>key=value</c> file (GITHUB_OUTPUT, GitLab's dotenv report): line breaks and other control characters become spaces.</summary>
    public static string OneLine(string? value) => ControlCharacters().Replace(value ?? "", " ");

    /// <summary>Text in a Markdown table cell, shown as written: every ASCII punctuation mark escaped, so no link, image, HTML, entity or autolink forms.</summary>
    public static string MarkdownText(string? value) => MarkdownPunctuation().Replace(OneLine(value), @"\$0");

    /// <summary>
    /// A code span in a Markdown table cell, fenced with more backticks than any run inside. A value holding a pipe is
    /// escaped text instead: renderers disagree on a pipe inside code in a table, and agree on an escaped one in text.
    /// </summary>
    public static string MarkdownCode(string? value)
    {
        var text = OneLine(value);
        if (text.Length == 0) return "";
        if (text.Contains('|')) return MarkdownText(text);
        var fence = new string('`', LongestRun(text, '`') + 1);
        var padding = text.StartsWith('`') || text.EndsWith('`') || (text.StartsWith(' ') && text.EndsWith(' ')) ? " " : "";
        return fence + padding + text + padding + fence;
    }

    /// <summary>A fenced code block whose fence is longer than any backtick run inside, so no line of <paramref name="text"/> closes it.</summary>
    public static string MarkdownCodeBlock(string text, string language)
    {
        var fence = new string('`', Math.Max(3, LongestRun(text, '`') + 1));
        return fence + language + "\n" + text + "\n" + fence + "\n";
    }

    private static string AzureCommandsOff(string text) => AzureCommand().Replace(text, "#" + ZeroWidthSpace);

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var x in text)
            longest = Math.Max(longest, run = x == c ? run + 1 : 0);
        return longest;
    }

    // 128 random bits, and not in the block: nothing in it can resume commands.
    private static string Token(string block)
    {
        string token;
        do token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLower(CultureInfo.InvariantCulture);
        while (block.Contains(token, StringComparison.OrdinalIgnoreCase));
        return token;
    }

    // The first '#' of "##vso[" or "##[" (the runners match either case).
    [GeneratedRegex(@"#(?=#(?:vso)?\[)", RegexOptions.IgnoreCase)]
    private static partial Regex AzureCommand();

    // The first ':' of "::" with only blanks before it since the start of a line (a runner reads CR, LF and CRLF as line ends).
    [GeneratedRegex(@"(?<=(?:\A|[\r\n])\s*):(?=:)")]
    private static partial Regex GitHubCommandStart();

    [GeneratedRegex(@"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]|\r(?!\n)")]
    private static partial Regex TerminalControl();

    [GeneratedRegex(@"\p{Cc}|[\u0085\u2028\u2029]")]
    private static partial Regex ControlCharacters();

    [GeneratedRegex(@"[!-/:-@\[-`{-~]")]
    private static partial Regex MarkdownPunctuation();
}
