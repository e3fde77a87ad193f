using System.Collections.Concurrent;

namespace GitOps.Build.Diagnostics;

/// <summary>
/// The values of the tokens this process holds (from the environment, or minted at run time like a GitHub App's
/// installation token, which no CI runner knows to mask), scrubbed from every message: a server or proxy that echoes
/// the request's Authorization in its error body would otherwise have it printed in the build log and the outputs.
/// </summary>
internal static class SecretValues
{
    /// <summary>Tokens are 20 characters and more; shorter values would be found in ordinary text.</summary>
    private const int MinLength = 16;

    private const string Mask = "***";

    private static readonly ConcurrentDictionary<string, byte> Values = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="value"/> as a secret; returns it.</summary>
    public static string Register(string value)
    {
        if (value.Length >= MinLength)
            Values.TryAdd(value, 0);
        return value;
    }

    /// <summary><paramref name="text"/> with every secret value replaced by ***.</summary>
    public static string Scrub(string text)
    {
        foreach (var value in Values.Keys)
            if (text.Contains(value, StringComparison.Ordinal))
                text = text.Replace(value, Mask, StringComparison.Ordinal);
        return text;
    }
}
