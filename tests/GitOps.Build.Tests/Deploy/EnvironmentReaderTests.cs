using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// What an environment runs and the deploy commit that put it there, read from real local bare repositories: the
/// history walk finds the commit whose trailers name the running image, past unrelated and other apps' commits.
/// </summary>
[TestClass]
public sealed class EnvironmentReaderTests
{
    private const string Repository = "registry.example.com/team/app";
    private const string Staging = "envs/staging/deployment.yaml";
    private const string Other = "envs/staging/other.yaml";

    private readonly RecordingLog log = new();

    private static ConfigRemote Remote() => ConfigRemote.Create("main", new Dictionary<string, string>
    {
        [Staging] = TestManifest.Deployment($"{Repository}:initial"),
        [Other] = TestManifest.Deployment("registry.example.com/team/other:initial", "other"),
        ["README.md"] = "config\n",
    });

    private string Deploy(ConfigRemote remote, string image, string path, string sourceCommit) =>
        new ConfigDeployer(null, log, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory }).Deploy(
            new DeploymentRequest(new DeploymentFacts(ImageReference.Parse(image), null, sourceCommit, "https://git.example.com/team/app.git", "App.csproj"),
                ConfigRepositoryLocation.Parse(remote.Path), "main", [new ManifestTarget(path, new ManifestEditOptions())], null, "Bot", "bot@example.com", false))
            .Result.CommitSha!;

    private static EnvironmentState Read(ConfigRemote remote) =>
        new ConfigRepositoryReader(null, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory }).Read(
            ConfigRepositoryLocation.Parse(remote.Path), "main",
            clone => EnvironmentReader.Read(clone, "staging", [new ManifestTarget("envs/staging", new ManifestEditOptions())], ImageReference.Parse(Repository), remote.Path),
            CancellationToken.None);

    [TestMethod]
    public void The_deploy_commit_is_found_past_unrelated_commits_and_another_apps_deploy_and_its_trailers_are_read()
    {
        using var remote = Remote();
        var deploy = Deploy(remote, $"{Repository}:abc1234", Staging, new string('a', 40));
        Deploy(remote, "registry.example.com/team/other:fff0000", Other, new string('f', 40));
        var tip = remote.Change("main", "Docs", new Dictionary<string, string> { ["README.md"] = "more\n" });

        var state = Read(remote);

        Assert.AreEqual($"{Repository}:abc1234", state.Deployed.Image.ToString());
        Assert.AreEqual(tip, state.TipSha);
        Assert.AreEqual(deploy, state.DeployCommit?.Sha);
        Assert.AreEqual(new string('a', 40), state.Trailer(CommitMessage.SourceCommitTrailer));
        Assert.AreEqual("App.csproj", state.Trailer(CommitMessage.ProjectTrailer));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "the clone is deleted");
    }

    [TestMethod]
    public void After_a_revert_by_hand_the_deploy_commit_is_the_earlier_one_that_deployed_the_running_image()
    {
        using var remote = Remote();
        var first = Deploy(remote, $"{Repository}:1111111", Staging, new string('1', 40));
        Deploy(remote, $"{Repository}:2222222", Staging, new string('2', 40));
        remote.Change("main", "Roll back by hand", new Dictionary<string, string> { [Staging] = TestManifest.Deployment($"{Repository}:1111111") });

        var state = Read(remote);

        Assert.AreEqual($"{Repository}:1111111", state.Deployed.Image.ToString());
        Assert.AreEqual(first, state.DeployCommit?.Sha);
        Assert.AreEqual(new string('1', 40), state.Trailer(CommitMessage.SourceCommitTrailer));
    }

    [TestMethod]
    public void An_image_written_by_hand_has_no_deploy_commit_and_no_trailers()
    {
        using var remote = Remote();
        Deploy(remote, $"{Repository}:1111111", Staging, new string('1', 40));
        remote.Change("main", "Hand edit", new Dictionary<string, string> { [Staging] = TestManifest.Deployment($"{Repository}:hand") });

        var state = Read(remote);

        Assert.AreEqual($"{Repository}:hand", state.Deployed.Image.ToString());
        Assert.IsNull(state.DeployCommit);
        Assert.AreEqual(0, state.Trailers.Count);
    }

    private string Release(ConfigRemote remote, params (string Image, string Path, string Project)[] images) =>
        new ConfigDeployer(null, log, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory }).Deploy(images.Select(i =>
            new DeploymentRequest(new DeploymentFacts(ImageReference.Parse(i.Image), Digest(i.Project), new string('a', 40), "https://git.example.com/team/shop.git", i.Project),
                ConfigRepositoryLocation.Parse(remote.Path), "main", [new ManifestTarget(i.Path, new ManifestEditOptions())], null, "Bot", "bot@example.com", false)).ToList())
            .Result.CommitSha!;

    private static string Digest(string project) => "sha256:" + new string(project == "App.csproj" ? 'a' : 'b', 64);

    private static EnvironmentState Read(ConfigRemote remote, string repository) =>
        new ConfigRepositoryReader(null, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory }).Read(
            ConfigRepositoryLocation.Parse(remote.Path), "main",
            clone => EnvironmentReader.Read(clone, "staging", [new ManifestTarget("envs/staging", new ManifestEditOptions())], ImageReference.Parse(repository), remote.Path),
            CancellationToken.None);

    [TestMethod]
    [DataRow(Repository + ":abc1234", "App.csproj", DisplayName = "the first image")]
    [DataRow("registry.example.com/team/other:abc1234", "Other.csproj", DisplayName = "the last image")]
    public void Every_image_of_a_release_finds_the_release_commit_with_its_own_trailers(string image, string project)
    {
        using var remote = Remote();
        var release = Release(remote, ($"{Repository}:abc1234", Staging, "App.csproj"), ("registry.example.com/team/other:abc1234", Other, "Other.csproj"));

        var state = Read(remote, ImageReference.Parse(image).Name);

        Assert.AreEqual(image, state.Deployed.Image.ToString());
        Assert.AreEqual(release, state.DeployCommit?.Sha);
        Assert.AreEqual(project, state.Trailer(CommitMessage.ProjectTrailer));
        Assert.AreEqual(image, state.Trailer(CommitMessage.ImageTrailer));
        Assert.AreEqual(Digest(project), state.Trailer(CommitMessage.ImageDigestTrailer));
        Assert.AreEqual(new string('a', 40), state.Trailer(CommitMessage.SourceCommitTrailer));
    }
}
