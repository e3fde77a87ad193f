using GitOps.Build.Ci;

namespace GitOps.Build.Tests.Ci;

/// <summary>The escaping itself, case by case; the routes to each channel are tested where the channel is written.</summary>
[TestClass]
public sealed class CiTextTests
{
    [TestMethod]
    [DataRow("::error::x")]
    [DataRow("  \t::add-mask::x")]
    [DataRow("first\r::error::x")]
    [DataRow("first\r\n  ::warning file=a::x")]
    public void A_line_starting_with_two_colons_is_no_GitHub_command(string text)
    {
        var escaped = CiText.LogLines(text);

        Assert.IsEmpty(CiReaders.GitHubCommands([escaped]), escaped);
        // A lone CR (which would overwrite the line in a terminal) is shown as ␍.
        Assert.AreEqual(System.Text.RegularExpressions.Regex.Replace(text, "\r(?!\n)", "\u240D"), escaped.Replace("\u200B", ""), "only an invisible mark is added");
    }

    [TestMethod]
    [DataRow("deployed ##vso[task.setvariable variable=GITOPS_TOKEN]x")]
    [DataRow("##VSO[task.complete result=Failed]")]
    [DataRow("###vso[task.logissue type=error]x")]
    [DataRow("##[error]x")]
    public void Azure_logging_commands_are_split_wherever_they_are(string text)
    {
        var escaped = CiText.LogLines(text);

        Assert.IsEmpty(CiReaders.AzureCommands([escaped]), escaped);
        Assert.AreEqual(text, escaped.Replace("\u200B", ""));
    }

    [TestMethod]
    public void Under_GitHub_Actions_the_lines_of_a_block_are_shown_as_they_are_between_stop_and_resume()
    {
        var block = " ::error::x\n+::add-mask::y\n ::ffff::";

        var escaped = CiText.LogMessage("GitOps: dry run:\n" + block, gitHubActions: true);

        Assert.IsEmpty(CiReaders.GitHubCommands([escaped]));
        StringAssert.Contains(escaped, "\n" + block + "\n", "the block as it is");
        Assert.AreNotEqual(escaped, CiText.LogMessage("GitOps: dry run:\n" + block, gitHubActions: true), "a fresh token each time");
        Assert.AreEqual("GitOps: one line", CiText.LogMessage("GitOps: one line", gitHubActions: true));
    }

    [TestMethod]
    [DataRow("a`b", "``a`b``")]
    [DataRow("`a", "`` `a ``")]
    [DataRow("a|b", "a\\|b")]
    [DataRow("a\nb", "`a b`")]
    [DataRow("", "")]
    public void A_code_span_holds_any_value(string value, string expected) =>
        Assert.AreEqual(expected, CiText.MarkdownCode(value));

    [TestMethod]
    public void A_code_block_fence_is_longer_than_any_backtick_run_inside()
    {
        var html = CiReaders.Render(CiText.MarkdownCodeBlock("a\n```\n````\n<img src=x>", "diff") + "after");

        StringAssert.Contains(html, "<pre><code class=\"language-diff\">a\n```\n````\n&lt;img src=x&gt;\n</code></pre>");
    }

    [TestMethod]
    public void Values_on_one_line_stay_on_it() =>
        Assert.AreEqual("a b  c d e f", CiText.OneLine("a\nb\r\nc\u2028d\u0085e\u000bf"));

    [TestMethod]
    [DataRow("\u001b[8mhidden\u001b[0m", DisplayName = "ESC: hidden text")]
    [DataRow("\u001b]0;title\u0007", DisplayName = "OSC: window title")]
    [DataRow("\u009b31mred", DisplayName = "C1 CSI")]
    [DataRow("fake\roverwritten", DisplayName = "a lone CR")]
    [DataRow("a\u0000b\u0008c\u007fd", DisplayName = "NUL, backspace, DEL")]
    [DataRow("evil\u202Egnp.exe", DisplayName = "bidi override")]
    public void Terminal_controls_from_a_server_reach_the_log_visible_and_inert(string text)
    {
        foreach (var escaped in new[] { CiText.LogLines("remote: " + text), CiText.LogMessage("GitOps: said:\n" + text, gitHubActions: true), CiText.LogMessage(text, gitHubActions: false) })
        {
            Assert.IsFalse(escaped.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r' || c is >= '\u202A' and <= '\u202E'), escaped);
            Assert.IsFalse(escaped.Replace("\r\n", "\n", StringComparison.Ordinal).Contains('\r'), escaped);
        }
    }

    [TestMethod]
    public void Line_breaks_and_tabs_are_kept() =>
        Assert.AreEqual("a\tb\r\nc\nd", CiText.LogLines("a\tb\r\nc\nd"));

    [TestMethod]
    public void An_escape_is_shown_as_its_control_picture() =>
        Assert.AreEqual("\u241B[8mx", CiText.LogLines("\u001b[8mx"));
}
