using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// GitOps.Build.Templates, packed once per test run from src/Templates into the SDK's test feed and installed with
/// `dotnet new install` into a private DOTNET_CLI_HOME, so neither the user's templates nor a stale copy interfere.
/// </summary>
internal static class TemplatePackage
{
    private static readonly Lazy<string> Home = new(PackAndInstall, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string CliHome => Home.Value;

    /// <summary>A child `dotnet` that sees the installed templates and the packed SDK's feed cache.</summary>
    public static Dictionary<string, string?> DotnetEnvironment()
    {
        var variables = SdkPackage.DotnetEnvironment();
        variables["DOTNET_CLI_HOME"] = CliHome;
        variables["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return variables;
    }

    // `dotnet new` keeps its template cache in DOTNET_CLI_HOME and does not share it: two at once fail with "packages.json
    // is being used by another process" (exit code 70). Test classes run in parallel, so the calls take turns.
    private static readonly Lock OneAtATime = new();

    /// <summary>`dotnet new …` in <paramref name="directory"/>.</summary>
    public static ProcessResult New(string directory, params string[] arguments)
    {
        var environment = DotnetEnvironment();
        lock (OneAtATime) return ProcessRunner.Run("dotnet", ["new", .. arguments], directory, environment, TimeSpan.FromMinutes(3));
    }

    private static string PackAndInstall()
    {
        var feed = SdkPackage.FeedDirectory;
        var pack = ProcessRunner.Run("dotnet",
            ["pack", Path.Combine(SdkPackage.RepositoryRoot, "src", "Templates", "GitOps.Build.Templates.csproj"), "-c", "Release", "-o", feed, "-nologo"],
            environment: new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" },
            timeout: TimeSpan.FromMinutes(5));
        Assert.IsTrue(pack.Succeeded, $"dotnet pack failed: {pack}");
        var package = Path.Combine(feed, $"GitOps.Build.Templates.{SdkPackage.Version}.nupkg");
        Assert.IsTrue(File.Exists(package), $"no template package in {feed}");

        var home = Path.Combine(SdkPackage.RepositoryRoot, "artifacts", "test", "dotnet-cli-home");
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(home);
        Directory.CreateDirectory(home);
        var variables = SdkPackage.DotnetEnvironment();
        variables["DOTNET_CLI_HOME"] = home;
        var install = ProcessRunner.Run("dotnet", ["new", "install", package], home, variables, TimeSpan.FromMinutes(3));
        Assert.IsTrue(install.Succeeded, $"dotnet new install failed: {install}");
        return home;
    }
}
