using System.Text.Json;
using System.Text.RegularExpressions;

namespace GitOps.Build.Tests.Templates;

/// <summary>The template sources without packing: the SDK version they write, and the README's quick start.</summary>
[TestClass]
public sealed class TemplateSourceTests
{
    private static string Root => SdkPackage.RepositoryRoot;

    [TestMethod]
    public void Gitops_template_references_the_sdk_version_this_repository_builds()
    {
        var props = File.ReadAllText(Path.Combine(Root, "Directory.Build.props"));
        var version = Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "Templates", "content", "gitops", ".template.config", "template.json")));
        var constant = template.RootElement.GetProperty("symbols").GetProperty("sdkVersion").GetProperty("parameters").GetProperty("value").GetString();
        Assert.AreEqual(version, constant, "src/Templates/content/gitops: sdkVersion must be the SDK's VersionPrefix");
        Assert.AreEqual(SdkPackage.Version, version, "tests/…/Fixtures/SdkPackage.Version");
    }

    [TestMethod]
    public void Readme_quick_start_is_the_commands_the_end_to_end_test_runs()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = Regex.Match(readme, "## Quick start with templates\n(.*?)\n## ", RegexOptions.Singleline);
        Assert.IsTrue(section.Success, "README.md has no 'Quick start with templates' section");
        var block = Regex.Match(section.Groups[1].Value, "```\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        // TemplateQuickStartTests runs these, in this order, with the test environment's registry and git server.
        string[] commands =
        [
            "dotnet new install GitOps.Build.Templates",
            "dotnet new gitops-config --app myapp --registry ",
            "dotnet new web",
            "dotnet new gitops --app myapp --registry ",
            "dotnet publish -c Release -p:GitOpsPush=true -p:GitOpsEnvironment=staging",
        ];
        var position = 0;
        foreach (var command in commands)
        {
            var index = block.IndexOf(command, position, StringComparison.Ordinal);
            Assert.IsTrue(index >= 0, $"the quick start lacks '{command}' (in this order):\n{block}");
            position = index + command.Length;
        }
    }
}
