using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Forge.GitLab;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge;

/// <summary>
/// Issue 20, seventh probe: GitOpsCommitMethod=api when the write that moved the branch is answered 5xx (the contract
/// server's simulation moves the ref, then fails: its answer is 500) and another pipeline's deploy of the same manifest
/// lands on top before the next round reads the branch. The round after an interrupted write must find ours under the
/// tip, not write our (older) image again over the later deploy.
/// </summary>
[TestClass]
public sealed class InterruptedApiWriteTests
{
    private const string Manifest = "apps/web/deployment.yaml";
    private const string New = "registry.example.com/team/web:a1b2c3d";
    private const string Later = "registry.example.com/team/web:b2c3d4e";

    [TestMethod]
    public void A_GitHub_ref_update_that_landed_but_answered_500_under_a_later_deploy_is_ours_and_not_written_again()
    {
        using var contract = new GitHubContract();
        contract.Git.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = TestManifest.Deployment("registry.example.com/team/web:0000001", "web"),
        }, "Initial config");
        string? ours = null;
        contract.Git.AfterRefUpdate = branch =>
        {
            if (ours is not null) return;
            ours = contract.Git.Tip(branch);
            contract.Git.CommitText(branch, new Dictionary<string, string> { [Manifest] = TestManifest.Deployment(Later, "web") }, "Deploy team/web:b2c3d4e");
            throw new IOException("the answer is lost after the ref moved");
        };
        var log = new RecordingLog();
        var http = GitHubForgeClientTests.Http(contract, GitHubContract.Token, log: log);
        var options = new ConfigWriterOptions { PushRetries = 3 };
        var writer = new ForgeCommitWriter(new GitHubCommits(http), log, options, http.Deadline, forgeSigns: false, Backoff.None);
        var request = new DeploymentRequest(
            new DeploymentFacts(ImageReference.Parse(New), "sha256:" + new string('1', 64), "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", null, "Web.csproj"),
            ConfigRepositoryLocation.Parse("https://github.example/team/config.git"), "main", [new ManifestTarget(Manifest, new ManifestEditOptions())],
            null, "Bot", "bot@example.com", false, null);

        var (result, _) = new ConfigDeployer(null, log, options, null, writer).Deploy(request);

        Assert.IsNotNull(ours, "the first write moved the branch");
        StringAssert.Contains(contract.Git.ReadText("main", Manifest), Later, "the later deploy is not overwritten by ours again");
        Assert.AreEqual(1, contract.Server.RequestsTo("git/update-ref").Count(), "written once: a second write would land our commit twice");
        Assert.AreEqual(ours, result.CommitSha, "ours landed (under the later deploy)");
    }

    [TestMethod]
    public void A_GitLab_commit_that_landed_but_answered_500_under_a_later_deploy_is_found_by_its_message_and_not_written_again()
    {
        // One call (GitLab, Gitea, Bitbucket, Azure DevOps): its answer lost, the writer never learns the commit's id.
        var git = new SimulatedGitStore();
        git.CommitText("main", new Dictionary<string, string> { [Manifest] = TestManifest.Deployment("registry.example.com/team/web:0000001", "web") },
            "Initial config");
        var (server, apiRoot) = GitLabContract.Start(new SimulatedRepository(), "team/platform/config", git);
        using var _ = server;
        string? ours = null;
        git.AfterRefUpdate = branch =>
        {
            if (ours is not null) return;
            ours = git.Tip(branch);
            git.CommitText(branch, new Dictionary<string, string> { [Manifest] = TestManifest.Deployment(Later, "web") }, "Deploy team/web:b2c3d4e");
            throw new IOException("the answer is lost after the branch moved");
        };
        var log = new RecordingLog();
        using var http = new ForgeHttp(new ForgeRepository(ForgeKind.GitLab, apiRoot, "team/platform", null, "config", "https://gitlab.example.com/team/platform/config.git"),
            new ForgeCredentials("good", ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct, new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), log);
        var options = new ConfigWriterOptions { PushRetries = 3 };
        var writer = new ForgeCommitWriter(new GitLabCommits(http), log, options, http.Deadline, forgeSigns: false, Backoff.None);

        var (result, _) = new ConfigDeployer(null, log, options, null, writer).Deploy(Request());

        Assert.IsNotNull(ours, "the first write moved the branch");
        StringAssert.Contains(git.ReadText("main", Manifest), Later, "the later deploy is not overwritten by ours again");
        Assert.AreEqual(1, server.RequestsTo("postApiV4ProjectsIdRepositoryCommits").Count(), "written once");
        Assert.AreEqual(ours, result.CommitSha, "ours landed (under the later deploy), found by its message");
    }

    private static DeploymentRequest Request() =>
        new(new DeploymentFacts(ImageReference.Parse(New), "sha256:" + new string('1', 64), "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", null, "Web.csproj"),
            ConfigRepositoryLocation.Parse("https://github.example/team/config.git"), "main", [new ManifestTarget(Manifest, new ManifestEditOptions())],
            null, "Bot", "bot@example.com", false, null);
}
