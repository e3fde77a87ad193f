using System.Text.Json;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// The standalone GitOpsUpdateConfig target, run in-process against a config repository on the local file system:
/// what it hands the update, and the extension points around it (GitOpsUpdateConfigDependsOn,
/// BeforeGitOpsUpdateConfig, AfterGitOpsUpdateConfig).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class UpdateConfigTargetTests
{
    private const string Manifest = "apps/app/deployment.yaml";
    private const string Image = "registry.example.com/team/app:v2";

    private ConfigRemote remote = null!;

    [TestInitialize]
    public void CreateConfigRepository() =>
        remote = ConfigRemote.Create("main", new Dictionary<string, string> { [Manifest] = TestManifest.Deployment("registry.example.com/team/app:initial") });

    [TestCleanup]
    public void DeleteConfigRepository() => remote.Dispose();

    private Dictionary<string, string> Standalone(params (string Name, string Value)[] more)
    {
        var properties = new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = remote.Path,
            ["GitOpsManifestPath"] = Manifest,
            ["GitOpsImage"] = Image,
        };
        foreach (var (name, value) in more) properties[name] = value;
        return properties;
    }

    private static TargetRun Update(TargetsProject project)
    {
        var run = project.Build("GitOpsUpdateConfig");
        Assert.IsTrue(run.Succeeded, run.ToString());
        return run;
    }

    [TestMethod]
    public void The_update_commits_the_image_and_its_outputs_and_result_file_say_so()
    {
        using var project = TargetsProject.Create(Standalone());

        var run = Update(project);

        Assert.AreEqual(TestManifest.Deployment(Image), remote.Git("show", $"main:{Manifest}") + "\n");
        Assert.AreEqual(remote.Tip("main"), run.Property("GitOpsConfigCommit"));
        Assert.AreEqual("main", run.Property("GitOpsConfigCommitBranch"));
        var resultFile = Path.Combine(project.Root, "bin", "Release", "net10.0", "publish", "gitops-result.json");
        Assert.AreEqual(resultFile, run.Property("GitOpsResultFile"), "PublishDir's result file, made absolute");
        using var result = JsonDocument.Parse(File.ReadAllText(resultFile));
        Assert.AreEqual(Image, result.RootElement.GetProperty("image").GetString());
        Assert.AreEqual(remote.Tip("main"), result.RootElement.GetProperty("configCommit").GetString());
    }

    [TestMethod]
    public void The_commit_properties_reach_the_config_commit()
    {
        var digest = "sha256:" + new string('a', 64);
        using var project = TargetsProject.Create(Standalone(
            ("GitOpsImageDigest", digest),
            ("GitOpsSourceRepositoryUrl", "https://git.example.com/team/app.git"),
            ("GitOpsCommitMessage", "Ship {Tag}"),
            ("GitOpsCommitAuthorName", "Release Bot"),
            ("GitOpsCommitAuthorEmail", "release-bot@example.com"),
            ("GitOpsConfigBranch", "main")));
        var sourceCommit = project.Head;
        project.SetGlobalProperty("GitOpsSourceCommit", sourceCommit);

        var run = Update(project);

        var commit = run.Property("GitOpsConfigCommit");
        var message = remote.RawMessage(commit);
        StringAssert.StartsWith(message, "Ship v2\n");
        var trailers = GitOps.Build.Tests.Infrastructure.GitTrailers.Parse(message);
        Assert.AreEqual(sourceCommit, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual("https://git.example.com/team/app.git", trailers["GitOps-Source-Repository"]);
        Assert.AreEqual(Image, trailers["GitOps-Image"]);
        Assert.AreEqual(digest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual("App.csproj", trailers["GitOps-Project"]);
        Assert.AreEqual("Release Bot <release-bot@example.com>", remote.Git("log", "-1", "--format=%an <%ae>", commit));
    }

    [TestMethod]
    public void GitOpsManifestPath_and_GitOpsManifest_items_are_both_handed_over_and_a_glob_is_not_expanded_next_to_the_project()
    {
        using var project = TargetsProject.Create(Standalone(("GitOpsManifestPath", "apps/*/deployment.yaml")), body: """
              <ItemGroup>
                <GitOpsManifest Include="charts/app/values.yaml" Format="Helm" ValuePath="image.tag" />
              </ItemGroup>
            """);

        var run = project.Build("_GitOpsCollectManifests");

        CollectionAssert.AreEqual(new[] { "apps/*/deployment.yaml", "charts/app/values.yaml" }, run.Items("_GitOpsManifest").ToList());
        Assert.AreEqual("image.tag", run.Metadata("_GitOpsManifest", "charts/app/values.yaml", "ValuePath"));
    }

    [TestMethod]
    public void A_relative_GitOpsResultFile_is_resolved_against_the_project_directory()
    {
        using var project = TargetsProject.Create(Standalone(("GitOpsResultFile", "out/deploy.json")));

        var run = Update(project);

        Assert.AreEqual(Path.Combine(project.Root, "out", "deploy.json"), run.Property("GitOpsResultFile"));
        Assert.IsTrue(File.Exists(Path.Combine(project.Root, "out", "deploy.json")));
    }

    [TestMethod]
    public void The_update_takes_the_inputs_parsed_once_by_their_key_not_the_items_they_were_parsed_from()
    {
        // After the parse, the items the inputs came from are changed: the update must not read them again.
        using var project = TargetsProject.Create(Standalone(), afterTargets: """
              <Target Name="SpoilInputItems" AfterTargets="_GitOpsConfigInputs">
                <ItemGroup>
                  <_GitOpsConfigInputs Update="@(_GitOpsConfigInputs)" ConfigRepository="/nonexistent/config.git" DeployBranch="elsewhere" />
                </ItemGroup>
              </Target>
            """);

        var run = Update(project);

        StringAssert.StartsWith(run.Property("_GitOpsConfigInputsKey"), "GitOpsConfigInputs:");
        Assert.AreEqual(remote.Tip("main"), run.Property("GitOpsConfigCommit"));
        Assert.AreEqual(TestManifest.Deployment(Image), remote.Git("show", $"main:{Manifest}") + "\n");
    }

    [TestMethod]
    public void A_task_that_does_not_find_the_key_as_one_run_out_of_process_would_parses_the_items_again()
    {
        using var project = TargetsProject.Create(Standalone(), afterTargets: """
              <Target Name="LoseKey" AfterTargets="_GitOpsConfigInputs">
                <PropertyGroup>
                  <_GitOpsConfigInputsKey>GitOpsConfigInputs:registered-in-another-process</_GitOpsConfigInputsKey>
                </PropertyGroup>
              </Target>
            """);

        var run = Update(project);

        Assert.AreEqual(remote.Tip("main"), run.Property("GitOpsConfigCommit"));
        Assert.AreEqual(TestManifest.Deployment(Image), remote.Git("show", $"main:{Manifest}") + "\n");
    }

    [TestMethod]
    public void Every_bad_config_input_is_reported_at_once_each_with_its_code()
    {
        using var project = TargetsProject.Create(Standalone(("GitOpsPushRetries", "many"), ("GitOpsDryRun", "yes"), ("GitOpsImageReferenceFormat", "Sha")));

        var run = project.Build("GitOpsUpdateConfig");

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEquivalent(new[] { "GITOPS037", "GITOPS008", "GITOPS016" }, run.Log.ErrorCodes.ToList(), run.ToString());
    }

    [TestMethod]
    public void A_target_appended_to_GitOpsUpdateConfigDependsOn_runs_before_the_update_and_may_choose_the_image()
    {
        var properties = Standalone();
        properties.Remove("GitOpsImage");
        using var project = TargetsProject.Create(properties, body: """
              <PropertyGroup>
                <GitOpsUpdateConfigDependsOn>$(GitOpsUpdateConfigDependsOn);ChooseImage</GitOpsUpdateConfigDependsOn>
              </PropertyGroup>
              <Target Name="ChooseImage">
                <PropertyGroup>
                  <GitOpsImage>registry.example.com/team/app:chosen</GitOpsImage>
                </PropertyGroup>
              </Target>
            """);

        var run = Update(project);

        Assert.AreEqual(TestManifest.Deployment("registry.example.com/team/app:chosen"), remote.Git("show", $"main:{Manifest}") + "\n");
        StringAssert.StartsWith(run.Property("GitOpsUpdateConfigDependsOn"), "_GitOpsCollectManifests;BeforeGitOpsUpdateConfig;");
    }

    [TestMethod]
    public void A_target_appended_to_GitOpsUpdateConfigDependsOn_after_the_import_runs_too()
    {
        using var project = TargetsProject.Create(Standalone(), afterTargets: """
              <PropertyGroup>
                <GitOpsUpdateConfigDependsOn>$(GitOpsUpdateConfigDependsOn);Announce</GitOpsUpdateConfigDependsOn>
              </PropertyGroup>
              <Target Name="Announce">
                <ItemGroup>
                  <Seen Include="image $(GitOpsImage), commit [$(GitOpsConfigCommit)]" />
                </ItemGroup>
              </Target>
            """);

        var run = Update(project);

        CollectionAssert.AreEqual(new[] { $"image {Image}, commit []" }, run.Items("Seen").ToList(), "ran before the update");
    }

    [TestMethod]
    public void Targets_hooked_before_and_after_run_around_the_update_and_the_after_hook_sees_its_outputs()
    {
        // Intrinsic item groups record what each hook saw: the in-process engine has no toolset, hence no Message task.
        using var project = TargetsProject.Create(Standalone(), body: """
              <Target Name="Prepare" BeforeTargets="BeforeGitOpsUpdateConfig">
                <ItemGroup>
                  <Seen Include="before: $(GitOpsImage) [$(GitOpsConfigCommit)]" />
                </ItemGroup>
              </Target>
              <Target Name="Notify" AfterTargets="AfterGitOpsUpdateConfig">
                <ItemGroup>
                  <Seen Include="after: $(GitOpsConfigCommit) on $(GitOpsConfigCommitBranch)" />
                </ItemGroup>
              </Target>
            """);

        var run = Update(project);

        CollectionAssert.AreEqual(new[] { $"before: {Image} []", $"after: {remote.Tip("main")} on main" }, run.Items("Seen").ToList());
    }

    [TestMethod]
    public void AfterGitOpsUpdateConfig_overridden_after_the_import_replaces_the_empty_hook_and_runs()
    {
        using var project = TargetsProject.Create(Standalone(), afterTargets: """
              <Target Name="AfterGitOpsUpdateConfig">
                <ItemGroup>
                  <Seen Include="override saw $(GitOpsConfigCommit)" />
                </ItemGroup>
              </Target>
            """);

        var run = Update(project);

        CollectionAssert.AreEqual(new[] { $"override saw {remote.Tip("main")}" }, run.Items("Seen").ToList());
    }

    [TestMethod]
    public void A_failed_update_runs_no_after_hook()
    {
        var properties = Standalone();
        properties.Remove("GitOpsImage");
        using var project = TargetsProject.Create(properties, body: """
              <Target Name="Notify" AfterTargets="AfterGitOpsUpdateConfig">
                <ItemGroup>
                  <Seen Include="deployed" />
                </ItemGroup>
              </Target>
            """);
        var before = remote.Tip("main");

        var run = project.Build("GitOpsUpdateConfig");

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS004" }, run.Log.ErrorCodes.ToList(), run.ToString());
        Assert.IsEmpty(run.Items("Seen"));
        Assert.AreEqual(before, remote.Tip("main"));
    }
}
