using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GitOps.Build.Tests.Docs;

/// <summary>
/// The public GitOps* surface of src/Sdk/build/*.props and *.targets, read from the files users get:
/// every $(GitOps…) property read, every GitOps… property defined (property groups and task outputs),
/// and every @(GitOps…) item read. Names starting with '_' are private and left out.
/// </summary>
internal static partial class SdkTargetsProperties
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static IReadOnlyList<string> BuildFiles { get; } = Directory
        .EnumerateFiles(Path.Combine(RepositoryRoot, "src", "Sdk", "build"))
        .Where(f => f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Property names read or defined by our build files.</summary>
    public static IReadOnlySet<string> Properties { get; } = Collect(properties: true);

    /// <summary>Item types read by our build files (@(GitOps…)).</summary>
    public static IReadOnlySet<string> Items { get; } = Collect(properties: false);

    private static SortedSet<string> Collect(bool properties)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in BuildFiles)
        {
            var text = File.ReadAllText(file);
            if (!properties)
            {
                names.UnionWith(ItemRead().Matches(text).Select(m => m.Groups[1].Value));
                continue;
            }

            names.UnionWith(PropertyRead().Matches(text).Select(m => m.Groups[1].Value));
            var document = XDocument.Parse(text);
            names.UnionWith(document.Descendants()
                .Where(e => e.Parent?.Name.LocalName == "PropertyGroup")
                .Select(e => e.Name.LocalName));
            names.UnionWith(document.Descendants()
                .Where(e => e.Name.LocalName == "Output")
                .Select(e => (string?)e.Attribute("PropertyName") ?? ""));
        }
        names.RemoveWhere(n => !n.StartsWith("GitOps", StringComparison.Ordinal));
        return names;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GitOps.Build.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("GitOps.Build.sln not found above " + AppContext.BaseDirectory);
    }

    // $(GitOpsX) and $(GitOpsX.Trim()); $(_GitOps…) does not match.
    [GeneratedRegex(@"\$\(\s*(GitOps[A-Za-z0-9_]*)")]
    private static partial Regex PropertyRead();

    [GeneratedRegex(@"@\(\s*(GitOps[A-Za-z0-9_]*)")]
    private static partial Regex ItemRead();
}
