using GitOps.Build.Tests.Infrastructure;
using static GitOps.Build.Tests.Targets.ApiEnvironments;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsPromote with GitOpsCommitMethod=api, in-process, on each forge's contract server (held to its vendored API
/// description, with a real object store): the source environment's image and its deploy commit are read through the
/// forge's API, and the promotion commit is made by it. The config repository's URL names a host that cannot exist
/// (.invalid), so a clone, had one been tried (the source read, the push check's re-read), would fail the build; the
/// contract server is the only server the build can reach.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ApiPromotionTargetTests
{
    private static TargetsProject Project(ApiForgeServer forge, string stagingBranch = "main") => TargetsProject.Create(new Dictionary<string, string>
    {
        ["GitOpsConfigRepository"] = forge.ConfigUrl,
        ["GitOpsConfigBranch"] = "main",
        ["GitOpsCommitMethod"] = "api",
        ["GitOpsForge"] = forge.Name,
        ["GitOpsForgeApiUrl"] = forge.ApiRoot.ToString(),
        ["ContainerRegistry"] = "registry.example.com",
        ["ContainerRepository"] = "team/app",
    }, body: $"""
          <ItemGroup>
            <GitOpsEnvironment Include="staging" ManifestPath="{StagingPath}" Branch="{stagingBranch}" />
            <GitOpsEnvironment Include="production" ManifestPath="{ProductionPath}" Branch="main" />
          </ItemGroup>
        """);

    private static TargetRun Promote(TargetsProject project, ApiForgeServer forge)
    {
        project.SetGlobalProperty("GitOpsPromoteFrom", "staging");
        project.SetGlobalProperty("GitOpsPromoteTo", "production");
        return project.Build("GitOpsPromote", new Dictionary<string, string> { ["GITOPS_TOKEN"] = forge.Token });
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_promotion_reads_the_source_and_its_deploy_commit_through_the_forge_API_and_clones_nothing(string name)
    {
        string deploy = "", before = "";
        using var forge = ApiForgeServer.Start(name, store =>
        {
            store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "initial"),
                [ProductionPath] = Kustomization("production", "initial"),
                ["README.md"] = "config\n",
            }, "Initial config");
            deploy = store.CommitText("main", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "abc1234") }, DeployMessage("abc1234"));
            // Later commits that leave staging alone: the deploy commit is found in the file's history, not at the tip.
            store.CommitText("main", new Dictionary<string, string> { ["README.md"] = "config, edited\n" }, "Edit the README");
            before = store.Tip("main")!;
        });
        var git = forge.Git;
        using var project = Project(forge);

        var run = Promote(project, forge);

        Assert.IsTrue(run.Succeeded, run.ToString());
        forge.Server.AssertHonoured();
        var tip = git.Tip("main")!;
        Assert.AreEqual(tip, run.Property("GitOpsConfigCommit"));
        Assert.AreEqual(before, git.Commit(tip)!.Parents.Single());
        Assert.AreEqual(Kustomization("production", "abc1234"), git.ReadText("main", ProductionPath));
        Assert.AreEqual(Kustomization("staging", "abc1234"), git.ReadText("main", StagingPath));
        var trailers = GitTrailers.Parse(git.Commit(tip)!.Message);
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
        Assert.AreEqual(before, trailers["GitOps-Promoted-From-Commit"]);
        Assert.AreEqual(deploy, trailers["GitOps-Promoted-From-Deploy-Commit"], "the deploy commit, found through the forge's commit listing");
        Assert.AreEqual(SourceCommit, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual(Digest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual("App.csproj", trailers["GitOps-Project"]);
        Assert.IsFalse(run.Log.WarningCodes.Contains("GITOPS071"), run.ToString());
        Assert.IsTrue(forge.Server.RequestsTo(forge.HistoryOperation).Any(), "the source's history is the forge's");
        AssertNothingCloned(run);
    }

    [TestMethod]
    public void A_hand_written_source_image_is_promoted_with_GITOPS071_and_no_source_trailers()
    {
        using var forge = ApiForgeServer.Start("GitLab", store =>
        {
            store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "hand1"),
                [ProductionPath] = Kustomization("production", "initial"),
            }, "Initial config");
        });
        var git = forge.Git;
        using var project = Project(forge);

        var run = Promote(project, forge);

        Assert.IsTrue(run.Succeeded, run.ToString());
        forge.Server.AssertHonoured();
        CollectionAssert.Contains(run.Log.WarningCodes.ToList(), "GITOPS071");
        var trailers = GitTrailers.Parse(git.Commit(git.Tip("main")!)!.Message);
        Assert.IsFalse(trailers.ContainsKey("GitOps-Source-Commit"));
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
        Assert.AreEqual(Kustomization("production", "hand1"), git.ReadText("main", ProductionPath));
    }

    [TestMethod]
    public void A_dry_run_reads_through_the_API_and_writes_nothing()
    {
        var before = "";
        using var forge = ApiForgeServer.Start("Gitea", store =>
        {
            store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "abc1234"),
                [ProductionPath] = Kustomization("production", "initial"),
            }, DeployMessage("abc1234"));
            before = store.Tip("main")!;
        });
        var git = forge.Git;
        using var project = Project(forge);
        project.SetGlobalProperty("GitOpsDryRun", "true");

        var run = Promote(project, forge);

        Assert.IsTrue(run.Succeeded, run.ToString());
        forge.Server.AssertHonoured();
        Assert.AreEqual(before, git.Tip("main"));
        Assert.AreEqual(0, forge.Server.RequestsTo("repoChangeFiles").Count());
        Assert.IsTrue(run.Log.Lines.Any(l => l.Contains("newTag: abc1234", StringComparison.Ordinal)), run.ToString());
    }

    [TestMethod]
    public void A_source_on_another_branch_is_checked_through_the_API_around_the_write_and_a_deploy_to_it_meanwhile_is_GITOPS113()
    {
        using var forge = ApiForgeServer.Start("GitHub", store =>
        {
            store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "initial"),
                [ProductionPath] = Kustomization("production", "initial"),
            }, "Initial config");
            store.SetBranch("staging", store.Tip("main")!);
            store.CommitText("staging", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "abc1234") }, DeployMessage("abc1234"));
            // Another pipeline deploys to staging while the promotion's commit is being written to main.
            store.BeforeRefUpdate = branch =>
            {
                if (branch == "main" && !store.ReadText("staging", StagingPath).Contains("def5678", StringComparison.Ordinal))
                    store.CommitText("staging", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "def5678") }, DeployMessage("def5678"));
            };
        });
        var git = forge.Git;
        using var project = Project(forge, stagingBranch: "staging");

        var run = Promote(project, forge);

        Assert.IsFalse(run.Succeeded, run.ToString());
        forge.Server.AssertHonoured();
        CollectionAssert.AreEqual(new[] { "GITOPS113" }, run.Log.ErrorCodes.ToList(), run.ToString());
        var pushed = git.Tip("main")!;
        StringAssert.Contains(run.Log.Errors[0].Message, pushed[..7], "the error names the commit that landed");
        StringAssert.Contains(run.Log.Errors[0].Message, "def5678");
        Assert.AreEqual(Kustomization("production", "abc1234"), git.ReadText("main", ProductionPath));
        AssertNothingCloned(run);
    }
}
