using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// Writes a new string value in an existing scalar's style. A plain scalar is double-quoted only when plain
/// text would be read as something else: another type (1234567, 72225e2, yes, 2024-01-15) or other syntax.
/// </summary>
internal static class ScalarRenderer
{
    // YAML 1.1 and 1.2 core-schema forms of null, bool, int, float and timestamp: Kubernetes tools read both.
    private static readonly Regex NonString = new(
        @"^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|=|<<"
        + @"|[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?)"
        + @"|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
        + @"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        + @"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$",
        RegexOptions.CultureInvariant);

    private const string PlainUnsafeStart = "-?:,[]{}#&*!|>'\"%@`";

    public static string Render(YamlScalar scalar, string value) => scalar.Style switch
    {
        ScalarStyle.Plain when IsSafePlain(value, scalar.InFlow) => value,
        ScalarStyle.SingleQuoted => "'" + value.Replace("'", "''") + "'",
        ScalarStyle.Plain or ScalarStyle.DoubleQuoted => DoubleQuoted(value),
        _ => throw new InvalidOperationException($"A {scalar.Style} scalar is not rewritten in place."),
    };

    /// <summary>A new block-context scalar: plain when that reads back as the same string, else double-quoted.</summary>
    public static string RenderNew(string value) => IsSafePlain(value, inFlow: false) ? value : DoubleQuoted(value);

    /// <summary>Whether a plain scalar with this text would be read as null, a bool, a number or a timestamp.</summary>
    public static bool ReadsAsNonString(string plainText) => plainText.Length == 0 || NonString.IsMatch(plainText);

    public static bool IsSafePlain(string value, bool inFlow) =>
        !ReadsAsNonString(value)
        && PlainUnsafeStart.IndexOf(value[0]) < 0
        && !value.Contains(": ", StringComparison.Ordinal)
        && !value.Contains(" #", StringComparison.Ordinal)
        && !value.EndsWith(':')
        && value.All(c => c > ' ' && c != '\u007f')
        && !(inFlow && value.IndexOfAny([',', '[', ']', '{', '}']) >= 0);

    private static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
