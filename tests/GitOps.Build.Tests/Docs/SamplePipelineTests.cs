using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GitOps.Build.Tests.Docs;

/// <summary>
/// samples/ci/*: each pipeline is valid YAML, tests before it publishes, publishes with GitOpsPush=true, and
/// passes only properties our targets define or read, or documented SDK container and standard MSBuild properties.
/// </summary>
[TestClass]
public sealed partial class SamplePipelineTests
{
    private static readonly string CiDirectory = Path.Combine(SdkTargetsProperties.RepositoryRoot, "samples", "ci");

    /// <summary>SDK container properties (learn.microsoft.com "Containerize a .NET app reference") and standard MSBuild ones.</summary>
    private static readonly HashSet<string> SdkProperties = new(StringComparer.Ordinal)
    {
        "ContainerRegistry", "ContainerRepository", "ContainerImageTag", "ContainerImageTags", "ContainerBaseImage",
        "ContainerFamily", "ContainerRuntimeIdentifier", "ContainerRuntimeIdentifiers", "ContainerUser",
        "ContainerWorkingDirectory", "ContainerImageFormat", "ContainerArchiveOutputPath", "EnableSdkContainerSupport",
        "Configuration", "TargetFramework", "RuntimeIdentifier", "RuntimeIdentifiers", "SelfContained", "PublishDir",
        "Version", "VersionPrefix", "VersionSuffix", "ContinuousIntegrationBuild", "Deterministic",
    };

    public static IEnumerable<object[]> Pipelines =>
        new[] { "github-actions.yml", "gitlab-ci.yml", "azure-pipelines.yml" }.Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Pipelines))]
    public void Pipeline_is_valid_YAML_and_tests_before_it_deploys(string file)
    {
        var scalars = Scalars(file);

        var test = scalars.FindIndex(s => s.Contains("dotnet test", StringComparison.Ordinal));
        var publish = scalars.FindIndex(s => s.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, test, $"{file}: no dotnet test");
        Assert.IsGreaterThan(test, publish, $"{file}: dotnet publish is missing or comes before dotnet test");
        StringAssert.Contains(scalars[publish], "-p:GitOpsPush=true", $"{file}: publish without GitOpsPush");
        // GitLab injects CI/CD variables by name, so only a comment may name it there.
        StringAssert.Contains(File.ReadAllText(Path.Combine(CiDirectory, file)), "GITOPS_TOKEN", $"{file}: says nothing about GITOPS_TOKEN");
    }

    [TestMethod]
    [DynamicData(nameof(Pipelines))]
    public void Pipeline_passes_only_known_properties(string file)
    {
        var passed = Scalars(file).SelectMany(s => PropertyArgument().Matches(s)).Select(m => m.Groups[1].Value).ToList();

        Assert.IsNotEmpty(passed, $"{file}: no -p:Name= found");
        var unknown = passed.Where(p => !IsKnown(p)).Distinct().ToList();
        Assert.IsEmpty(unknown, $"{file} passes properties that neither our targets nor the SDK define: {string.Join(", ", unknown)}");
    }

    [TestMethod]
    [DataRow("GitOpsPush", true)]
    [DataRow("ContainerRegistry", true)]
    [DataRow("GitOpsPushh", false)]
    [DataRow("GITOPS_TOKEN", false)]
    public void Known_properties_are_ours_or_the_SDKs(string name, bool known) => Assert.AreEqual(known, IsKnown(name));

    [TestMethod]
    public void Property_arguments_are_found_in_every_spelling()
    {
        var found = PropertyArgument().Matches("dotnet publish -p:A=1 /p:B=2 --property:C=3 -property:D=x -p:GitOpsE=$X")
            .Select(m => m.Groups[1].Value);
        CollectionAssert.AreEqual(new[] { "A", "B", "C", "D", "GitOpsE" }, found.ToArray());
    }

    private static bool IsKnown(string property) =>
        SdkTargetsProperties.Properties.Contains(property) || SdkProperties.Contains(property);

    /// <summary>Every scalar of the file in document order, parsed with YamlDotNet (which throws on invalid YAML).</summary>
    private static List<string> Scalars(string file)
    {
        var path = Path.Combine(CiDirectory, file);
        Assert.IsTrue(File.Exists(path), $"{path} is missing");
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
            stream.Load(reader);
        Assert.HasCount(1, stream.Documents, $"{file}: expected one YAML document");
        return stream.Documents[0].AllNodes.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToList();
    }

    [GeneratedRegex(@"(?:^|\s)(?:-p|/p|--property|-property|/property):([A-Za-z_][A-Za-z0-9_.]*)=")]
    private static partial Regex PropertyArgument();
}
