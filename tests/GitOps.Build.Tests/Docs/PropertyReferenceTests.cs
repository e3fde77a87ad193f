using System.Text.RegularExpressions;

namespace GitOps.Build.Tests.Docs;

/// <summary>docs/properties.md names every GitOps property and item our build files read or define.</summary>
[TestClass]
public sealed class PropertyReferenceTests
{
    private static readonly string PropertiesDoc = Path.Combine(SdkTargetsProperties.RepositoryRoot, "docs", "properties.md");

    /// <summary>Names the doc mentions as code: `GitOpsPush`, not a GitOpsPush inside other text.</summary>
    private static HashSet<string> DocumentedNames() =>
        Regex.Matches(File.ReadAllText(PropertiesDoc), "`([A-Za-z_][A-Za-z0-9_]*)`")
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    [TestMethod]
    public void The_build_files_are_found_and_read()
    {
        // Guards the test below against passing because it collected nothing.
        Assert.IsTrue(SdkTargetsProperties.BuildFiles.Any(f => f.EndsWith("GitOps.Build.Sdk.targets", StringComparison.Ordinal)));
        foreach (var name in new[] { "GitOpsPush", "GitOpsConfigRepository", "GitOpsManifestPath", "GitOpsImage", "GitOpsConfigCommit" })
            Assert.IsTrue(SdkTargetsProperties.Properties.Contains(name), $"{name} not collected from {string.Join(", ", SdkTargetsProperties.BuildFiles)}");
        Assert.IsTrue(SdkTargetsProperties.Items.Contains("GitOpsManifest"));
        Assert.IsFalse(SdkTargetsProperties.Properties.Any(n => n.StartsWith('_')));
    }

    [TestMethod]
    public void Every_property_and_item_is_documented()
    {
        var documented = DocumentedNames();

        var missing = SdkTargetsProperties.Properties.Concat(SdkTargetsProperties.Items)
            .Where(name => !documented.Contains(name))
            .ToList();

        Assert.IsEmpty(missing,
            $"docs/properties.md does not document: {string.Join(", ", missing)}. Add each as `Name` with type, default, example and meaning.");
    }
}
