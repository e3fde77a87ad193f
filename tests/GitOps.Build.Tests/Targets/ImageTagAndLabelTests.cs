using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// Around the SDK's ComputeContainerConfig (a stand-in here, see <see cref="TargetsProject"/>): the commit tag is
/// added to the user's own tags, replaces the SDK's 'latest' when the user gave none, and the image is labelled with
/// the commit and its repository.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ImageTagAndLabelTests
{
    private const string Revision = "org.opencontainers.image.revision";
    private const string Source = "org.opencontainers.image.source";

    private static readonly Dictionary<string, string> Publishing = new()
    {
        ["GitOpsPush"] = "true",
        ["ContainerRegistry"] = "registry.example.com",
        ["ContainerRepository"] = "team/app",
        ["GitOpsConfigRepository"] = "https://git.example.com/team/config.git",
        ["GitOpsManifestPath"] = "apps/app/deployment.yaml",
    };

    private static TargetRun ComputeContainerConfig(TargetsProject project)
    {
        var run = project.Build("ComputeContainerConfig");
        Assert.IsTrue(run.Succeeded, run.ToString());
        return run;
    }

    private static Dictionary<string, string> With(params (string Name, string Value)[] more)
    {
        var properties = new Dictionary<string, string>(Publishing);
        foreach (var (name, value) in more) properties[name] = value;
        return properties;
    }

    [TestMethod]
    public void Without_a_tag_of_the_users_the_commit_tag_replaces_latest()
    {
        using var project = TargetsProject.Create(Publishing);

        var run = ComputeContainerConfig(project);

        Assert.AreEqual(project.Head[..7], run.Property("GitOpsResolvedImageTag"));
        CollectionAssert.AreEqual(new[] { project.Head[..7] }, run.Items("ContainerImageTags").ToList());
    }

    [TestMethod]
    public void A_ContainerImageTag_in_the_project_is_kept_and_the_commit_tag_added()
    {
        using var project = TargetsProject.Create(With(("ContainerImageTag", "stable")));

        var run = ComputeContainerConfig(project);

        CollectionAssert.AreEqual(new[] { "stable", project.Head[..7] }, run.Items("ContainerImageTags").ToList());
    }

    [TestMethod]
    public void ContainerImageTags_given_on_the_command_line_are_kept_and_the_commit_tag_added()
    {
        using var project = TargetsProject.Create(Publishing, globalProperties: new Dictionary<string, string> { ["ContainerImageTags"] = "v1;v2" });

        var run = ComputeContainerConfig(project);

        CollectionAssert.AreEqual(new[] { "v1", "v2", project.Head[..7] }, run.Items("ContainerImageTags").ToList());
        Assert.AreEqual("v1;v2", run.Property("ContainerImageTags"), "a global property no target can change");
    }

    [TestMethod]
    public void A_GitOpsImageTag_the_user_also_lists_is_pushed_once()
    {
        using var project = TargetsProject.Create(With(("GitOpsImageTag", "release-7"), ("ContainerImageTags", "release-7;stable")));

        var run = ComputeContainerConfig(project);

        CollectionAssert.AreEqual(new[] { "release-7", "stable" }, run.Items("ContainerImageTags").ToList());
    }

    [TestMethod]
    public void The_image_is_labelled_with_the_commit_and_its_repository()
    {
        using var project = TargetsProject.Create(Publishing);
        ProcessRunner.Run("git", ["remote", "add", "origin", "https://git.example.com/team/app.git"], project.Root);

        var run = ComputeContainerConfig(project);

        Assert.AreEqual(project.Head, run.Metadata("ContainerLabel", Revision, "Value"));
        Assert.AreEqual("https://git.example.com/team/app.git", run.Metadata("ContainerLabel", Source, "Value"));
    }

    [TestMethod]
    public void The_commit_replaces_a_revision_label_of_the_users_and_a_source_label_of_the_users_is_kept()
    {
        using var project = TargetsProject.Create(Publishing, body: """
              <ItemGroup>
                <ContainerLabel Include="org.opencontainers.image.revision" Value="stale" />
                <ContainerLabel Include="org.opencontainers.image.source" Value="https://example.com/mirror.git" />
              </ItemGroup>
            """);
        ProcessRunner.Run("git", ["remote", "add", "origin", "https://git.example.com/team/app.git"], project.Root);

        var run = ComputeContainerConfig(project);

        Assert.AreEqual(project.Head, run.Metadata("ContainerLabel", Revision, "Value"));
        Assert.AreEqual("https://example.com/mirror.git", run.Metadata("ContainerLabel", Source, "Value"));
    }

    [TestMethod]
    public void With_ContainerGenerateLabels_false_no_label_is_added()
    {
        using var project = TargetsProject.Create(With(("ContainerGenerateLabels", "false")));
        ProcessRunner.Run("git", ["remote", "add", "origin", "https://git.example.com/team/app.git"], project.Root);

        var run = ComputeContainerConfig(project);

        Assert.IsEmpty(run.Items("ContainerLabel"));
        CollectionAssert.Contains(run.Items("ContainerImageTags").ToList(), project.Head[..7], "the tag is still added");
    }

    [TestMethod]
    public void Without_GitOpsPush_nothing_is_added()
    {
        using var project = TargetsProject.Create(With(("GitOpsPush", "false")));

        var run = ComputeContainerConfig(project);

        CollectionAssert.AreEqual(new[] { "latest" }, run.Items("ContainerImageTags").ToList());
        Assert.IsEmpty(run.Items("ContainerLabel"));
    }

    [TestMethod]
    public void A_missing_registry_fails_with_GITOPS003_before_the_container_is_configured()
    {
        var properties = new Dictionary<string, string>(Publishing);
        properties.Remove("ContainerRegistry");
        using var project = TargetsProject.Create(properties);

        var run = project.Build("ComputeContainerConfig");

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS003" }, run.Log.ErrorCodes.ToList(), run.ToString());
        // The text comes from Strings.resx, where it starts with the code: MSBuild shows the code once, on its own.
        StringAssert.StartsWith(run.Log.Errors[0].Message, "ContainerRegistry is not set.");
        Assert.IsEmpty(run.Items("ContainerImageTags"));
    }
}
