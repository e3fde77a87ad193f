using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace GitOps.Build.Diagnostics;

/// <summary>
/// The text of every error, warning and message, from Strings.resx. The .resources are embedded in the task assembly
/// and read through that assembly, so they load in whichever load context MSBuild gives the tasks. As in the .NET SDK's
/// task resources, an error's text starts with its code ("GITOPS001: …"); <see cref="Coded"/> finds it by that code.
/// </summary>
internal static partial class Strings
{
    public static ResourceManager ResourceManager { get; } = new("GitOps.Build.Diagnostics.Strings", typeof(Strings).Assembly);

    // Read once: the neutral resources are the catalogue of codes, whatever the culture the text is then read in.
    private static readonly Lazy<IReadOnlyDictionary<string, string>> NamesByCode = new(() =>
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in ResourceManager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!)
            if (entry.Value is string text && CodePrefix().Match(text) is { Success: true } match)
                names.TryAdd(match.Groups["code"].Value, (string)entry.Key);
        return names;
    });

    /// <summary>The resource's text in the UI culture.</summary>
    /// <exception cref="InvalidOperationException">No such resource: a defect the catalogue tests catch.</exception>
    public static string Get(string name) =>
        ResourceManager.GetString(name, CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"Strings.resx has no resource named '{name}'.");

    /// <summary>The resource filled in; numbers and dates are formatted the same on every machine.</summary>
    public static string Format(string name, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(name), args);

    /// <summary>The text of the error or warning <paramref name="code"/>, without the "GITOPSnnn: " it starts with.</summary>
    /// <exception cref="InvalidOperationException">No resource starts with the code: a defect the catalogue tests catch.</exception>
    public static string Coded(string code)
    {
        var name = NamesByCode.Value.TryGetValue(code, out var found) ? found
            : throw new InvalidOperationException($"Strings.resx has no resource starting with '{code}: '.");
        var text = Get(name);
        return text.StartsWith(code + ": ", StringComparison.Ordinal) ? text[(code.Length + 2)..] : text;
    }

    [GeneratedRegex(@"^(?<code>GITOPS\d{3}): ")]
    private static partial Regex CodePrefix();
}
