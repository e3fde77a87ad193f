using System.IO.Compression;
using System.Xml.Linq;

namespace GitOps.Build.Tests.Integration;

/// <summary>What the packed GitOps.Build.Sdk nupkg carries, as NuGet and MSBuild will see it.</summary>
[TestClass]
[TestCategory("Publish")]
public sealed class PackageContentTests
{
    private static ZipArchive Open() =>
        ZipFile.OpenRead(Path.Combine(SdkPackage.FeedDirectory, $"GitOps.Build.Sdk.{SdkPackage.Version}.nupkg"));

    [TestMethod]
    public void The_package_holds_the_sdk_files_the_tasks_and_their_native_library()
    {
        using var package = Open();
        var files = package.Entries.Select(e => e.FullName).ToHashSet();

        foreach (var expected in new[]
                 {
                     "Sdk/Sdk.props", "Sdk/Sdk.targets", "build/GitOps.Build.Sdk.props", "build/GitOps.Build.Sdk.targets", "README.md",
                     "build/GitOps.Build.Inputs.targets", "build/GitOps.Build.Publish.targets", "build/GitOps.Build.UpdateConfig.targets",
                     "build/GitOps.Build.Release.targets", "build/GitOps.Build.Promote.targets", "build/GitOps.Build.Status.targets", "build/GitOps.Build.Wait.targets",
                     "tasks/net8.0/GitOps.Build.Tasks.dll", "tasks/net8.0/GitOps.Build.Tasks.deps.json",
                     "tasks/net8.0/LibGit2Sharp.dll", "tasks/net8.0/YamlDotNet.dll", "tasks/net8.0/Octokit.dll",
                 })
            Assert.IsTrue(files.Contains(expected), $"missing {expected}");
        Assert.IsTrue(files.Any(f => f.StartsWith("tasks/net8.0/runtimes/linux-x64/native/libgit2-", StringComparison.Ordinal)));
        Assert.IsTrue(files.Any(f => f.StartsWith("tasks/net8.0/runtimes/win-x64/native/git2-", StringComparison.Ordinal)));
        Assert.IsFalse(files.Any(f => f.Contains("Microsoft.Build", StringComparison.Ordinal)), "MSBuild's own assemblies must come from MSBuild");
    }

    [TestMethod]
    public void The_nuspec_declares_an_msbuild_sdk_with_license_readme_and_no_dependencies()
    {
        using var package = Open();
        using var stream = package.GetEntry("GitOps.Build.Sdk.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.AreEqual("MIT", Value("license"));
        Assert.AreEqual("README.md", Value("readme"));
        Assert.AreEqual("true", Value("developmentDependency"));
        Assert.IsTrue(metadata.Descendants().Any(e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "MSBuildSdk"));
        Assert.IsFalse(metadata.Descendants().Any(e => e.Name.LocalName == "dependency"), "the package must not drag dependencies into projects");
    }

    [TestMethod]
    public void The_task_assembly_targets_net8_and_compiles_against_MSBuild_17_8()
    {
        using var package = Open();
        using var deps = new StreamReader(package.GetEntry("tasks/net8.0/GitOps.Build.Tasks.deps.json")!.Open());
        var text = deps.ReadToEnd();

        StringAssert.Contains(text, ".NETCoreApp,Version=v8.0");
        Assert.IsFalse(text.Contains("\"Microsoft.Build.Utilities.Core/", StringComparison.Ordinal), "MSBuild must be compile-only");
    }
}
