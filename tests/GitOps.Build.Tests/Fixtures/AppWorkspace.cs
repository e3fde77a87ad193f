using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// An app repository of its own in a temp directory: a copy of a sample project, committed with git,
/// with a NuGet.config that restores the freshly packed SDK.
/// </summary>
internal sealed class AppWorkspace : IDisposable
{
    private AppWorkspace(string root) => Root = root;

    public string Root { get; }

    public string ProjectDirectory => Path.Combine(Root, "app");

    /// <summary>Copies samples/<paramref name="sample"/> and commits it.</summary>
    public static AppWorkspace FromSample(string sample = "app")
    {
        var workspace = Empty();
        CopyDirectory(Path.Combine(SdkPackage.RepositoryRoot, "samples", sample), workspace.ProjectDirectory);
        workspace.Commit("Initial sample");
        return workspace;
    }

    /// <summary>The packed SDK as an &lt;Sdk&gt; element with its version: how most test apps reference it.</summary>
    public static string SdkElement => $"""<Sdk Name="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />""";

    /// <summary>The sample config repository's manifest, as a project property.</summary>
    public static string ManifestPathProperty => $"<GitOpsManifestPath>{TestConfigRepository.DeploymentPath}</GitOpsManifestPath>";

    /// <summary>
    /// The one console app project of the tests (for <see cref="WithProject"/>): <paramref name="properties"/> and
    /// <paramref name="items"/> are XML elements added to it, <paramref name="sdkReference"/> replaces <see cref="SdkElement"/>.
    /// </summary>
    public static string ConsoleProject(string properties = "", string? sdkReference = null, string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          {sdkReference ?? SdkElement}
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            {properties}
          </PropertyGroup>
          <ItemGroup>{items}</ItemGroup>
        </Project>
        """;

    /// <summary>An app with the given project file text (plus a Program.cs), committed.</summary>
    public static AppWorkspace WithProject(string projectXml, string? globalJson = null)
    {
        var workspace = Empty();
        Directory.CreateDirectory(workspace.ProjectDirectory);
        File.WriteAllText(Path.Combine(workspace.ProjectDirectory, "App.csproj"), projectXml);
        File.WriteAllText(Path.Combine(workspace.ProjectDirectory, "Program.cs"), "System.Console.WriteLine(\"hello\");\n");
        File.WriteAllText(Path.Combine(workspace.ProjectDirectory, ".gitignore"), "bin/\nobj/\n");
        if (globalJson is not null) File.WriteAllText(Path.Combine(workspace.Root, "global.json"), globalJson);
        workspace.Commit("Initial app");
        return workspace;
    }

    private static AppWorkspace Empty()
    {
        var root = Directory.CreateTempSubdirectory("gitops-app-").FullName;
        SdkPackage.WriteNuGetConfig(root);
        Run(root, "git", "init", "-q", "-b", "main");
        return new AppWorkspace(root);
    }

    /// <summary>Commits everything and returns the new HEAD.</summary>
    /// <remarks>
    /// The workspace name goes into the message: two workspaces committed in the same second would otherwise get
    /// the same SHA, hence the same image tag, and one test would see the other's image in the shared registry.
    /// </remarks>
    public string Commit(string message)
    {
        Run(Root, "git", "add", "-A");
        Run(Root, "git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "--allow-empty",
            "-m", message, "-m", $"Workspace: {Path.GetFileName(Root)}");
        return Head;
    }

    public string Head => Run(Root, "git", "rev-parse", "HEAD").Trim();

    /// <summary>Runs `dotnet` in the project directory with a clean environment plus <paramref name="environment"/>.</summary>
    public ProcessResult Dotnet(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        DotnetAsync(environment, arguments).GetAwaiter().GetResult();

    /// <summary>For many builds at once: no thread blocks while a build runs.</summary>
    public Task<ProcessResult> DotnetAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", arguments, ProjectDirectory, DotnetVariables(environment), TimeSpan.FromMinutes(5));

    /// <summary>`dotnet` as <see cref="Dotnet"/> runs it, left running for the test to act on (Ctrl+C).</summary>
    public RunningProcess StartDotnet(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        RunningProcess.Start("dotnet", arguments, ProjectDirectory, DotnetVariables(environment));

    private static Dictionary<string, string?> DotnetVariables(IReadOnlyDictionary<string, string?>? environment)
    {
        var variables = SdkPackage.DotnetEnvironment();
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) variables[key] = value;
        _ = SdkPackage.FeedDirectory;
        return variables;
    }

    /// <summary>
    /// `dotnet publish -c Release -p:GitOpsPush=true` against the test environment's registry and base image, with
    /// the writer token unless <paramref name="variables"/> says otherwise.
    /// </summary>
    public ProcessResult PublishWithGitOps(TestEnvironment environment, string configUrl,
        IReadOnlyDictionary<string, string?>? variables = null, params string[] extraArguments)
    {
        var all = new Dictionary<string, string?>(environment.ContainerVariables) { ["GITOPS_TOKEN"] = environment.GitToken };
        foreach (var (key, value) in variables ?? new Dictionary<string, string?>()) all[key] = value;
        return Dotnet(all, ["publish", "-c", "Release", "-p:GitOpsPush=true", $"-p:GitOpsConfigRepository={configUrl}",
            $"-p:ContainerRegistry={environment.Registry}", $"-p:ContainerBaseImage={environment.BaseImage}", .. extraArguments]);
    }

    /// <summary>`dotnet msbuild -t:GitOpsUpdateConfig` of <paramref name="image"/> into <paramref name="configUrl"/>, at normal verbosity.</summary>
    public ProcessResult UpdateConfig(string configUrl, IReadOnlyDictionary<string, string?>? variables, string image, params string[] extraArguments) =>
        Dotnet(variables, ["msbuild", "-t:GitOpsUpdateConfig", "-v:n", "-nologo", $"-p:GitOpsImage={image}", $"-p:GitOpsConfigRepository={configUrl}", .. extraArguments]);

    /// <summary>The result file (gitops-result.json) the last build below <see cref="Root"/> wrote.</summary>
    public JsonElement Result() =>
        JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(Root, "gitops-result.json", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First())).RootElement.Clone();

    public void Dispose() => GitOps.Build.ConfigRepo.TempDirectory.TryDelete(Root);

    private static string Run(string directory, string fileName, params string[] arguments)
    {
        var result = ProcessRunner.Run(fileName, arguments, directory);
        Assert.IsTrue(result.Succeeded, $"{fileName} {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar) is ["bin" or "obj", ..]) continue;
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
