using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// An app repository with several console services, each a container project with its own manifest, published
/// together: as a solution (Shop.slnx, with a Directory.Solution.targets that imports the packed SDK, as
/// samples/shop does) or as a traversal project (Shop.proj). The config repository is the sample's plus a manifest
/// per further service (<see cref="SeedConfig"/>): the sample's own files are not changed.
/// </summary>
internal sealed class ReleaseWorkspace : IDisposable
{
    private ReleaseWorkspace(string root, IReadOnlyList<string> services)
    {
        Root = root;
        Services = services;
    }

    public string Root { get; }

    /// <summary>The services' names: project {Name}/{Name}.csproj, image team/{Name}, manifest apps/{Name}/deployment.yaml.</summary>
    public IReadOnlyList<string> Services { get; }

    public static string Repository(string service) => "team/" + service;

    public static string Manifest(string service) => $"apps/{service}/deployment.yaml";

    public static string InitialImage(string registry, string service) => $"{registry}/{Repository(service)}:initial";

    /// <summary>
    /// The services (default: shop-web, shop-api) and both entry points, committed. <paramref name="properties"/>:
    /// per service, extra project properties; <paramref name="items"/>: per service, extra project items.
    /// </summary>
    public static ReleaseWorkspace Create(IReadOnlyList<string>? services = null, Func<string, string>? properties = null, Func<string, string>? items = null)
    {
        services ??= ["shop-web", "shop-api"];
        var root = Directory.CreateTempSubdirectory("gitops-release-app-").FullName;
        SdkPackage.WriteNuGetConfig(root);
        var workspace = new ReleaseWorkspace(root, services);
        foreach (var service in services)
        {
            var directory = Path.Combine(root, service);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, service + ".csproj"), AppWorkspace.ConsoleProject(
                $"<ContainerRepository>{Repository(service)}</ContainerRepository><GitOpsManifestPath>{Manifest(service)}</GitOpsManifestPath>{properties?.Invoke(service)}",
                items: items?.Invoke(service) ?? ""));
            File.WriteAllText(Path.Combine(directory, "Program.cs"), $"System.Console.WriteLine(\"{service}\");\n");
        }
        File.WriteAllText(Path.Combine(root, "Shop.slnx"),
            "<Solution>\n" + string.Concat(services.Select(s => $"  <Project Path=\"{s}/{s}.csproj\" />\n")) + "</Solution>\n");
        File.WriteAllText(Path.Combine(root, "Directory.Solution.targets"), $"""
            <Project>
              <Import Project="Sdk.targets" Sdk="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />
            </Project>
            """);
        // Shaped like a Microsoft.Build.Traversal project: IsTraversal, ProjectReference items, a Publish that builds, then publishes them.
        File.WriteAllText(Path.Combine(root, "Shop.proj"), $"""
            <Project>
              <PropertyGroup>
                <IsTraversal>true</IsTraversal>
              </PropertyGroup>
              <Import Project="Sdk.targets" Sdk="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />
              <ItemGroup>
            {string.Concat(services.Select(s => $"    <ProjectReference Include=\"{s}/{s}.csproj\" />\n"))}  </ItemGroup>
              <Target Name="Restore">
                <MSBuild Projects="@(ProjectReference)" Targets="Restore" Properties="MSBuildRestoreSessionId=$([System.Guid]::NewGuid())" />
              </Target>
              <Target Name="Build">
                <MSBuild Projects="@(ProjectReference)" Targets="Build" BuildInParallel="true" />
              </Target>
              <Target Name="Publish" DependsOnTargets="Build">
                <MSBuild Projects="@(ProjectReference)" Targets="Publish" BuildInParallel="true" />
              </Target>
            </Project>
            """);
        File.WriteAllText(Path.Combine(root, ".gitignore"), "bin/\nobj/\n");
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", "Shop", "-m", $"Workspace: {Path.GetFileName(root)}");
        return workspace;

        void Git(params string[] arguments)
        {
            var result = ProcessRunner.Run("git", arguments, root);
            Assert.IsTrue(result.Succeeded, result.ToString());
        }
    }

    public string Head => ProcessRunner.Run("git", ["rev-parse", "HEAD"], Root).StandardOutput.Trim();

    /// <summary>samples/config-repo plus one manifest per service (the image at :initial), as a seed directory.</summary>
    public string SeedConfig(string registry)
    {
        var seed = Path.Combine(Root, "..", Path.GetFileName(Root) + "-config-seed");
        var sample = Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo");
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(seed, Path.GetRelativePath(sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        foreach (var service in Services)
        {
            var target = Path.Combine(seed, Manifest(service));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, $"""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {service}
                spec:
                  template:
                    spec:
                      containers:
                        - name: {service}
                          image: {InitialImage(registry, service)}

                """);
        }
        return seed;
    }

    /// <summary>`dotnet publish {entry} -c Release -p:GitOpsPush=true` against the test environment, writer token set.</summary>
    public ProcessResult Publish(TestEnvironment environment, string entry, string configUrl, params string[] extraArguments) =>
        Publish(environment, entry, configUrl, registryOnCommandLine: true, extraArguments);

    /// <param name="registryOnCommandLine">false: each project names its ContainerRegistry (a global property would win over it).</param>
    public ProcessResult Publish(TestEnvironment environment, string entry, string configUrl, bool registryOnCommandLine, params string[] extraArguments) =>
        Publish(environment, entry, configUrl, registryOnCommandLine, null, extraArguments);

    /// <param name="configUrl">null: each project names its GitOpsConfigRepository.</param>
    /// <param name="variables">Environment variables besides the token and the container ones (signing keys).</param>
    public ProcessResult Publish(TestEnvironment environment, string entry, string? configUrl, bool registryOnCommandLine,
        IReadOnlyDictionary<string, string?>? variables, params string[] extraArguments)
    {
        var all = SdkPackage.DotnetEnvironment();
        foreach (var (key, value) in environment.ContainerVariables) all[key] = value;
        all["GITOPS_TOKEN"] = environment.GitToken;
        foreach (var (key, value) in variables ?? new Dictionary<string, string?>()) all[key] = value;
        _ = SdkPackage.FeedDirectory;
        return ProcessRunner.RunAsync("dotnet",
            ["publish", entry, "-c", "Release", "-tl:off", "-p:GitOpsPush=true",
             .. configUrl is null ? Array.Empty<string>() : [$"-p:GitOpsConfigRepository={configUrl}"],
             .. registryOnCommandLine ? [$"-p:ContainerRegistry={environment.Registry}"] : Array.Empty<string>(),
             $"-p:ContainerBaseImage={environment.RuntimeBaseImage}", .. extraArguments],
            Root, all, TimeSpan.FromMinutes(8)).GetAwaiter().GetResult();
    }

    /// <summary>`dotnet msbuild {project} {arguments}` against the test environment, writer token set.</summary>
    public ProcessResult Msbuild(TestEnvironment environment, string project, params string[] arguments)
    {
        var variables = SdkPackage.DotnetEnvironment();
        foreach (var (key, value) in environment.ContainerVariables) variables[key] = value;
        variables["GITOPS_TOKEN"] = environment.GitToken;
        _ = SdkPackage.FeedDirectory;
        return ProcessRunner.RunAsync("dotnet", ["msbuild", project, "-tl:off", .. arguments], Root, variables, TimeSpan.FromMinutes(5)).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(Root);
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(Path.Combine(Root, "..", Path.GetFileName(Root) + "-config-seed"));
    }
}
