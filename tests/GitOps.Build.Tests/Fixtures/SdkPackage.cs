using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// The GitOps.Build.Sdk package, packed once per test run from src/Sdk exactly as users get it,
/// with a NuGet cache of its own so a stale copy of the same version is never restored.
/// </summary>
internal static class SdkPackage
{
    public const string Version = "0.1.0";

    private static readonly Lazy<string> Feed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string TestArtifacts => Path.Combine(RepositoryRoot, "artifacts", "test");

    public static string FeedDirectory => Feed.Value;

    public static string NuGetPackagesDirectory => Path.Combine(TestArtifacts, "nuget-packages");

    /// <summary>
    /// Environment for a child `dotnet`: our feed's cache, no MSBuild state leaked from the test host (CI variables and
    /// secrets are cleared for every child by <see cref="ProcessRunner"/>).
    /// </summary>
    public static Dictionary<string, string?> DotnetEnvironment() => new()
    {
        ["NUGET_PACKAGES"] = NuGetPackagesDirectory,
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
    };

    /// <summary>A NuGet.config that finds the freshly packed SDK first.</summary>
    public static void WriteNuGetConfig(string directory) =>
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="gitops-build" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

    private static string Pack()
    {
        var feed = Path.Combine(TestArtifacts, "feed");
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(feed);
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(NuGetPackagesDirectory);
        var result = ProcessRunner.Run("dotnet",
            ["pack", Path.Combine(RepositoryRoot, "src", "Sdk", "GitOps.Build.Sdk.csproj"), "-c", "Release", "-o", feed, "-nologo"],
            environment: new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" },
            timeout: TimeSpan.FromMinutes(5));
        Assert.IsTrue(result.Succeeded, $"dotnet pack failed: {result}");
        Assert.IsTrue(File.Exists(Path.Combine(feed, $"GitOps.Build.Sdk.{Version}.nupkg")), $"no package in {feed}");
        return feed;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GitOps.Build.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("GitOps.Build.sln not found above " + AppContext.BaseDirectory);
    }
}
