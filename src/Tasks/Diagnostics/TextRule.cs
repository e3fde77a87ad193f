using System.Globalization;
using System.Text;
namespace GitOps.Build.Diagnostics;

/// <summary>
/// Text that reaches libgit2 or a commit header: a NUL would cut it short in native code, other control characters
/// would be stored where no tool shows them, and a line break in an author line forges a header.
/// </summary>
internal static class TextRule
{
    /// <exception cref="GitOpsException">GITOPS035 naming <paramref name="property"/>; the value itself is not shown (it may be a secret).</exception>
    /// <param name="value">The value; null passes.</param>
    /// <param name="property">What the user set, named in the error.</param>
    /// <param name="allowLineBreaks">True for multi-line text (a commit message): tab, LF and CR are then allowed.</param>
    public static string? RejectControlCharacters(string? value, string property, bool allowLineBreaks = false)
    {
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
                throw new GitOpsException(Errors.ControlCharacter, property, Describe(c), i + 1);
        }
        return value;
    }

    /// <summary>GitOpsCommitAuthorName and GitOpsCommitAuthorEmail: what goes between "author " and the date.</summary>
    /// <exception cref="GitOpsException">GITOPS036 naming <paramref name="property"/>.</exception>
    public static string ValidateIdentity(string? value, string property)
    {
        var problem = string.IsNullOrWhiteSpace(value) ? "it is empty"
            : value.IndexOfAny(['<', '>']) >= 0 ? "it contains '<' or '>', which delimit the e-mail address"
            : value.Any(char.IsControl) ? "it contains a line break or another control character"
            : null;
        return problem is null ? value!.Trim() : throw new GitOpsException(Errors.CommitIdentityInvalid, property, Printable(value ?? ""), problem);
    }

    /// <summary>"U+0000 (NUL)"-style name of a character, safe to print.</summary>
    public static string Describe(char c) =>
        "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + c switch
        {
            '\0' => " (NUL)",
            '\n' => " (line feed)",
            '\r' => " (carriage return)",
            '\t' => " (tab)",
            '\x1b' => " (escape)",
            _ => "",
        };

    /// <summary>The value with control characters written as \uXXXX, so an error message cannot itself break a log line.</summary>
    public static string Printable(string value)
    {
        if (!value.Any(char.IsControl)) return value;
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
            text.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c);
        return text.ToString();
    }
}
