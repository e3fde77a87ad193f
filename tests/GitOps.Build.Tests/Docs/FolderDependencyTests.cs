using System.Text.RegularExpressions;

namespace GitOps.Build.Tests.Docs;

/// <summary>
/// The layout README.md draws for src/Tasks holds in the code: dependencies between folders point one way, and only
/// the two repository folders use LibGit2Sharp.
/// </summary>
[TestClass]
public sealed partial class FolderDependencyTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Tasks"] = ["Deploy", "Forge", "AppRepo", "ConfigRepo", "Signing", "Manifests", "Ci", "Diagnostics"],
        ["Deploy"] = ["Forge", "AppRepo", "ConfigRepo", "Manifests", "Ci", "Diagnostics"],
        // Pull requests: the API over the git transport's HTTP stack (proxy, CA, deadline).
        ["Forge"] = ["ConfigRepo", "Diagnostics"],
        ["AppRepo"] = ["Diagnostics"],
        ["ConfigRepo"] = ["Diagnostics"],
        // Implements ConfigRepo's ICommitSigner with ssh-keygen and gpg.
        ["Signing"] = ["ConfigRepo", "Diagnostics"],
        ["Manifests"] = ["Diagnostics"],
        ["Ci"] = ["Diagnostics"],
        ["Diagnostics"] = [],
    };

    private static readonly string Sources = Path.Combine(SdkTargetsProperties.RepositoryRoot, "src", "Tasks");

    private static IEnumerable<(string Folder, string File, string Text)> SourceFiles() =>
        Directory.EnumerateFiles(Sources, "*.cs", SearchOption.AllDirectories)
            .Select(file => (Path.GetRelativePath(Sources, file).Replace('\\', '/'), file))
            .Where(entry => !entry.Item1.StartsWith("obj/", StringComparison.Ordinal) && !entry.Item1.StartsWith("bin/", StringComparison.Ordinal))
            .Select(entry => (entry.Item1.Split('/')[0], entry.Item1, File.ReadAllText(entry.file)));

    [TestMethod]
    public void Folders_depend_only_on_the_folders_below_them()
    {
        var violations = SourceFiles()
            .SelectMany(source => NamespaceUse().Matches(source.Text).Select(match => (source.Folder, source.File, Used: match.Groups[1].Value)))
            .Where(use => use.Used != use.Folder && !(Allowed.TryGetValue(use.Folder, out var allowed) && allowed.Contains(use.Used)))
            .Select(use => $"{use.File} uses {use.Used}")
            .Distinct()
            .ToList();

        Assert.AreEqual(0, violations.Count, string.Join("\n", violations));
    }

    [TestMethod]
    public void Only_the_repository_folders_use_LibGit2Sharp()
    {
        var users = SourceFiles().Where(source => source.Text.Contains("LibGit2Sharp", StringComparison.Ordinal)).Select(source => source.Folder).Distinct();

        CollectionAssert.IsSubsetOf(users.ToList(), new[] { "AppRepo", "ConfigRepo" });
    }

    // "GitOps.Build.X" in a using, a qualified name or a namespace of another folder; the folder is its first segment.
    [GeneratedRegex(@"\bGitOps\.Build\.(\w+)")]
    private static partial Regex NamespaceUse();
}
