using System.Runtime.CompilerServices;
using System.Security;
using GitOps.Build.Tests.Docs;
using GitOps.Build.Tests.Infrastructure;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using Microsoft.Build.Logging;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// A project that imports src/Sdk/build/GitOps.Build.Sdk.props and .targets as a project using the package does,
/// evaluated and built in this process by the MSBuild engine: one target per build, no child process, no server.
/// Its directory is an app repository with one commit, so the real tasks read a real source revision.
/// </summary>
internal sealed class TargetsProject : IDisposable
{
    /// <summary>
    /// What Microsoft.NET.Sdk has set by the time the package's targets are imported, for a console app built with
    /// -c Release (only what the targets read).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> SdkProperties = new Dictionary<string, string>
    {
        ["OutputType"] = "Exe",
        ["TargetFramework"] = "net10.0",
        ["Configuration"] = "Release",
        ["IntermediateOutputPath"] = "obj/Release/net10.0/",
        ["PublishDir"] = "bin/Release/net10.0/publish/",
    };

    /// <summary>
    /// A stand-in for the .NET SDK's ComputeContainerConfig, which cannot run without the SDK's container tasks and a
    /// base image: like the SDK it defaults the tag to 'latest' when the project gave none, and turns the tag
    /// properties into ContainerImageTags items. The GitOps targets hook it with BeforeTargets and AfterTargets.
    /// </summary>
    private const string ComputeContainerConfigStandIn = """
          <Target Name="ComputeContainerConfig">
            <PropertyGroup>
              <ContainerImageTag Condition="'$(ContainerImageTag)' == '' and '$(ContainerImageTags)' == ''">latest</ContainerImageTag>
            </PropertyGroup>
            <ItemGroup>
              <ContainerImageTags Include="$(ContainerImageTag);$(ContainerImageTags)" />
            </ItemGroup>
          </Target>
        """;

    private readonly ProjectCollection collection;

    private readonly string name;

    private TargetsProject(string root, string projectPath, ProjectCollection collection, string name)
    {
        Root = root;
        ProjectPath = projectPath;
        this.collection = collection;
        this.name = name;
    }

    /// <summary>Where each build's binary log stays after the test (one per test and target, replaced by the next run).</summary>
    public static string BinaryLogDirectory => Path.Combine(SdkTargetsProperties.RepositoryRoot, "artifacts", "test", "binlogs");

    /// <summary>The app repository; the project file is in it.</summary>
    public string Root { get; }

    public string ProjectPath { get; }

    public string Head => ProcessRunner.Run("git", ["rev-parse", "HEAD"], Root).StandardOutput.Trim();

    /// <param name="properties">Set in the project body, as a user would, after the SDK's own.</param>
    /// <param name="globalProperties">Given on the command line (-p:).</param>
    /// <param name="body">More project body (items, targets), before the package's targets are imported.</param>
    /// <param name="afterTargets">Project text after the package's targets (overrides of its targets).</param>
    public static TargetsProject Create(
        IReadOnlyDictionary<string, string>? properties = null,
        IReadOnlyDictionary<string, string>? globalProperties = null,
        string body = "",
        string afterTargets = "",
        [CallerMemberName] string test = "")
    {
        var root = Directory.CreateTempSubdirectory("gitops-targets-").FullName;
        var projectPath = Path.Combine(root, "App.csproj");
        var all = new Dictionary<string, string>(SdkProperties)
        {
            ["GitOpsTasksAssembly"] = typeof(GitOps.Build.Tasks.CheckInputs).Assembly.Location,
        };
        foreach (var (name, value) in properties ?? new Dictionary<string, string>()) all[name] = value;

        var build = Path.Combine(SdkTargetsProperties.RepositoryRoot, "src", "Sdk", "build");
        File.WriteAllText(projectPath, $"""
            <Project>
              <Import Project="{Path.Combine(build, "GitOps.Build.Sdk.props")}" />
              <PropertyGroup>
            {string.Join('\n', all.Select(p => $"    <{p.Key}>{SecurityElement.Escape(p.Value)}</{p.Key}>"))}
              </PropertyGroup>
            {body}
            {ComputeContainerConfigStandIn}
              <Import Project="{Path.Combine(build, "GitOps.Build.Sdk.targets")}" />
            {afterTargets}
            </Project>
            """);
        File.WriteAllText(Path.Combine(root, ".gitignore"), "bin/\nobj/\n*.binlog\n");
        Git(root, "init", "-q", "-b", "main");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", "Initial app");

        var collection = new ProjectCollection(new Dictionary<string, string>(globalProperties ?? new Dictionary<string, string>()));
        return new TargetsProject(root, projectPath, collection, test);
    }

    /// <summary>
    /// Evaluates the project afresh and builds <paramref name="target"/> (and what it depends on). The tasks run in
    /// this process and read its environment: the CI variables and secrets a child process would not get
    /// (<see cref="ProcessRunner.ClearedVariables"/>) are unset meanwhile, which is why the classes using this are
    /// [DoNotParallelize]. <paramref name="environment"/> sets variables for this build only, as a CI job would.
    /// </summary>
    public TargetRun Build(string target, IReadOnlyDictionary<string, string>? environment = null)
    {
        var instance = Evaluate();
        var logger = new CapturingLogger();
        var binaryLog = Path.Combine(BinaryLogDirectory, $"{name}.{target}.binlog");
        var saved = ProcessRunner.ClearedVariables.Concat(environment?.Keys ?? []).Distinct()
            .ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var name in saved.Keys) Environment.SetEnvironmentVariable(name, null);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>()) Environment.SetEnvironmentVariable(name, value);
            var succeeded = instance.Build([target], [logger, new BinaryLogger { Parameters = binaryLog }]);
            return new TargetRun(succeeded, instance, logger, binaryLog);
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>As -p:NAME=VALUE for the builds from now on (for values known only once the project exists).</summary>
    public void SetGlobalProperty(string name, string value) => collection.SetGlobalProperty(name, value);

    /// <summary>Evaluation only: the properties and items before any target runs.</summary>
    public ProjectInstance Evaluate()
    {
        var instance = collection.LoadProject(ProjectPath).CreateProjectInstance();
        collection.UnloadAllProjects();
        return instance;
    }

    public void Dispose()
    {
        collection.Dispose();
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(Root);
    }

    private static void Git(string directory, params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, directory);
        Assert.IsTrue(result.Succeeded, $"git {string.Join(' ', arguments)}: {result}");
    }
}

/// <summary>What one build left: the project instance's properties and items after it, and what was logged.</summary>
internal sealed record TargetRun(bool Succeeded, ProjectInstance Instance, CapturingLogger Log, string BinaryLog)
{
    public string Property(string name) => Instance.GetPropertyValue(name);

    public IReadOnlyList<string> Items(string type) => Instance.GetItems(type).Select(item => item.EvaluatedInclude).ToList();

    public string Metadata(string type, string include, string name) =>
        Instance.GetItems(type).Single(item => item.EvaluatedInclude == include).GetMetadataValue(name);

    /// <summary>For assertion messages: the errors, warnings and messages in order, and where the binary log is.</summary>
    public override string ToString() => string.Join('\n', [.. Log.Lines, $"binary log: {BinaryLog}"]);
}

/// <summary>Keeps errors, warnings and messages of a build for the test to inspect.</summary>
internal sealed class CapturingLogger : ILogger
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<string> Messages { get; } = [];

    public List<string> Lines { get; } = [];

    public IReadOnlyList<string> ErrorCodes => Errors.Select(e => e.Code).ToList();

    public IReadOnlyList<string> WarningCodes => Warnings.Select(w => w.Code).ToList();

    public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Diagnostic;

    public string? Parameters { get; set; }

    public void Initialize(IEventSource eventSource)
    {
        eventSource.ErrorRaised += (_, e) =>
        {
            Errors.Add(e);
            Lines.Add($"error {e.Code}: {e.Message}");
        };
        eventSource.WarningRaised += (_, e) =>
        {
            // The engine from the package has no toolset next to it: no *.tasks files (nor the tasks they declare).
            if (e.Code is "MSB4010" or "MSB4196") return;
            Warnings.Add(e);
            Lines.Add($"warning {e.Code}: {e.Message}");
        };
        eventSource.MessageRaised += (_, e) =>
        {
            Messages.Add(e.Message ?? "");
            Lines.Add(e.Message ?? "");
        };
    }

    public void Shutdown()
    {
    }
}
