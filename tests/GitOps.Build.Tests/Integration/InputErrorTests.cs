namespace GitOps.Build.Tests.Integration;

/// <summary>What a user sees when GitOpsPush=true lacks what it needs: a GITOPS code, before anything is compiled.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class InputErrorTests
{
    private static string Project(string properties) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="GitOps.Build.Sdk" Version="{SdkPackage.Version}" />
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            {properties}
          </PropertyGroup>
        </Project>
        """;

    private const string Complete = """
        <ContainerRegistry>registry.example.com</ContainerRegistry>
        <GitOpsConfigRepository>https://git.example.com/team/config.git</GitOpsConfigRepository>
        <GitOpsManifestPath>apps/app/deployment.yaml</GitOpsManifestPath>
        """;

    private static void AssertFailsBeforeCompiling(AppWorkspace app, string code, string mentions, IReadOnlyDictionary<string, string?>? environment = null, string? extraArguments = null)
    {
        var result = extraArguments is null
            ? app.Dotnet(environment, "build", "-p:GitOpsPush=true")
            : app.Dotnet(environment, "build", "-p:GitOpsPush=true", extraArguments);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, $"error {code}:");
        StringAssert.Contains(result.StandardOutput, mentions);
        Assert.IsFalse(Directory.Exists(Path.Combine(app.ProjectDirectory, "bin")), "nothing may be compiled");
    }

    [TestMethod]
    public void Missing_settings_are_all_named_at_once()
    {
        using var app = AppWorkspace.WithProject(Project(""));

        var result = app.Dotnet(null, "build", "-p:GitOpsPush=true");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.StandardOutput, "error GITOPS003:");
        StringAssert.Contains(result.StandardOutput, "error GITOPS001:");
        StringAssert.Contains(result.StandardOutput, "error GITOPS002:");
    }

    [TestMethod]
    public void A_missing_registry_fails_with_GITOPS003()
    {
        using var app = AppWorkspace.WithProject(Project(Complete.Replace("<ContainerRegistry>registry.example.com</ContainerRegistry>", "")));

        AssertFailsBeforeCompiling(app, "GITOPS003", "ContainerRegistry");
    }

    [TestMethod]
    public void Uncommitted_changes_fail_with_GITOPS010()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));
        File.AppendAllText(Path.Combine(app.ProjectDirectory, "Program.cs"), "// edited\n");

        AssertFailsBeforeCompiling(app, "GITOPS010", "GitOpsAllowDirty");
    }

    [TestMethod]
    public void Exported_sources_without_git_or_CI_variables_fail_with_GITOPS011()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));
        Directory.Delete(Path.Combine(app.Root, ".git"), recursive: true);

        AssertFailsBeforeCompiling(app, "GITOPS011", "GITHUB_SHA");
    }

    [TestMethod]
    public void Exported_sources_take_the_commit_from_the_CI_variable()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));
        Directory.Delete(Path.Combine(app.Root, ".git"), recursive: true);

        var result = app.Dotnet(new Dictionary<string, string?> { ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567" },
            "build", "-p:GitOpsPush=true");

        Assert.IsTrue(result.Succeeded, result.ToString());
        StringAssert.Contains(result.StandardOutput, "GitOps: image tag 0123456 from commit 0123456789abcdef0123456789abcdef01234567 (GITHUB_SHA)");
    }

    [TestMethod]
    public void An_invalid_GitOpsImageTag_fails_with_GITOPS014_before_compiling()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));

        AssertFailsBeforeCompiling(app, "GITOPS014", "GitOpsImageTag", extraArguments: "-p:GitOpsImageTag=-bad/tag");
    }

    [TestMethod]
    public void The_standalone_target_without_GitOpsImage_fails_with_GITOPS004_and_pushes_nothing()
    {
        using var config = TestConfigRepository.Local();
        using var app = AppWorkspace.WithProject(Project(Complete));
        var before = config.Head;

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", $"-p:GitOpsConfigRepository={config.Url}");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS004:");
        Assert.AreEqual(before, config.Head);
    }

    [TestMethod]
    public void The_standalone_target_with_a_git_protocol_config_repository_fails_with_GITOPS025()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=registry.example.com/app:v1",
            "-p:GitOpsConfigRepository=git://git.example.com/team/config.git");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS025:");
    }
}
