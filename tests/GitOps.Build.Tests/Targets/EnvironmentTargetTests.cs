using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Signing;
using static GitOps.Build.Tests.Targets.ApiEnvironments;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsEnvironment items through the targets, in-process, against a config repository on the local file system:
/// a deploy picks its environment, GitOpsPromote writes exactly what staging runs into production with provenance,
/// and GitOpsStatus reports both without writing.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class EnvironmentTargetTests
{
    private const string Environments = $"""
          <ItemGroup>
            <GitOpsEnvironment Include="staging" ManifestPath="{StagingPath}" />
            <GitOpsEnvironment Include="production" ManifestPath="{ProductionPath}" />
          </ItemGroup>
        """;

    private ConfigRemote remote = null!;

    [TestInitialize]
    public void CreateConfigRepository() => remote = ConfigRemote.Create("main", new Dictionary<string, string>
    {
        [StagingPath] = Kustomization("staging", "initial"),
        [ProductionPath] = Kustomization("production", "initial"),
    });

    [TestCleanup]
    public void DeleteConfigRepository() => remote.Dispose();

    private TargetsProject Project(string body = Environments, params (string Name, string Value)[] more)
    {
        var properties = new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = remote.Path,
            ["ContainerRegistry"] = "registry.example.com",
            ["ContainerRepository"] = "team/app",
        };
        foreach (var (name, value) in more) properties[name] = value;
        return TargetsProject.Create(properties, body: body);
    }

    private string File(string path, string revision = "main") => remote.Git("show", $"{revision}:{path}") + "\n";

    /// <summary>Deploys to staging as a publish would: GitOpsEnvironment=staging, the image and its commit.</summary>
    private static TargetRun DeployToStaging(TargetsProject project, string image, string? digest = null)
    {
        project.SetGlobalProperty("GitOpsEnvironment", "staging");
        project.SetGlobalProperty("GitOpsImage", image);
        project.SetGlobalProperty("GitOpsSourceCommit", project.Head);
        project.SetGlobalProperty("GitOpsImageDigest", digest ?? "");
        project.SetGlobalProperty("GitOpsImageReferenceFormat", digest is null ? "Tag" : "TagAndDigest");
        var run = project.Build("GitOpsUpdateConfig");
        Assert.IsTrue(run.Succeeded, run.ToString());
        return run;
    }

    private static TargetRun Promote(TargetsProject project, string from = "staging", string to = "production")
    {
        foreach (var name in new[] { "GitOpsEnvironment", "GitOpsImage", "GitOpsSourceCommit", "GitOpsImageDigest", "GitOpsImageReferenceFormat" })
            project.SetGlobalProperty(name, "");
        project.SetGlobalProperty("GitOpsPromoteFrom", from);
        project.SetGlobalProperty("GitOpsPromoteTo", to);
        return project.Build("GitOpsPromote");
    }

    [TestMethod]
    public void GitOpsEnvironment_deploys_to_that_environments_manifest_only()
    {
        using var project = Project();

        DeployToStaging(project, $"{Repository}:abc1234");

        Assert.AreEqual(Kustomization("staging", "abc1234"), File(StagingPath));
        Assert.AreEqual(Kustomization("production", "initial"), File(ProductionPath));
    }

    [TestMethod]
    public void An_environments_Branch_metadata_is_the_branch_deployed_to()
    {
        remote.Git("branch", "prod", "main");
        using var project = Project($"""
              <ItemGroup>
                <GitOpsEnvironment Include="production" ManifestPath="{ProductionPath}" Branch="prod" />
              </ItemGroup>
            """);
        var main = remote.Tip("main");
        project.SetGlobalProperty("GitOpsEnvironment", "production");
        project.SetGlobalProperty("GitOpsImage", $"{Repository}:abc1234");

        var run = project.Build("GitOpsUpdateConfig");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual("prod", run.Property("GitOpsConfigCommitBranch"));
        Assert.AreEqual(main, remote.Tip("main"));
        Assert.AreEqual(Kustomization("production", "abc1234"), File(ProductionPath, "prod"));
    }

    [TestMethod]
    public void An_unknown_environment_is_GITOPS052_listing_the_known_ones_and_nothing_is_pushed()
    {
        using var project = Project();
        var tip = remote.Tip("main");
        project.SetGlobalProperty("GitOpsEnvironment", "prod");
        project.SetGlobalProperty("GitOpsImage", $"{Repository}:abc1234");

        var run = project.Build("GitOpsUpdateConfig");

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS052" }, run.Log.ErrorCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, "staging, production");
        Assert.AreEqual(tip, remote.Tip("main"));
    }

    [TestMethod]
    public void Under_GitOpsPush_an_unknown_environment_fails_with_GITOPS052_before_the_container_is_configured()
    {
        using var project = Project(Environments, ("GitOpsPush", "true"), ("GitOpsEnvironment", "prod"));

        var run = project.Build("ComputeContainerConfig");

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS052" }, run.Log.ErrorCodes.ToList(), run.ToString());
        Assert.IsEmpty(run.Items("ContainerImageTags"));
    }

    [TestMethod]
    public void Under_GitOpsPush_a_known_environment_is_all_the_manifest_setting_a_publish_needs()
    {
        using var project = Project(Environments, ("GitOpsPush", "true"), ("GitOpsEnvironment", "staging"));

        var run = project.Build("ComputeContainerConfig");

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { StagingPath }, run.Items("_GitOpsManifest").ToList());
    }

    [TestMethod]
    public void Promotion_writes_exactly_the_tag_and_digest_staging_runs_into_production_with_its_provenance()
    {
        using var project = Project();
        var stagingDeploy = DeployToStaging(project, $"{Repository}:abc1234", Digest).Property("GitOpsConfigCommit");
        var stagingFile = File(StagingPath);
        var stagingTip = remote.Tip("main");

        var run = Promote(project);

        Assert.IsTrue(run.Succeeded, run.ToString());
        var commit = run.Property("GitOpsConfigCommit");
        Assert.AreEqual(remote.Tip("main"), commit);
        Assert.AreEqual(stagingFile.Replace("staging", "production", StringComparison.Ordinal), File(ProductionPath), "exactly staging's tag and digest");
        Assert.AreEqual(stagingFile, File(StagingPath), "staging unchanged");
        var message = remote.RawMessage(commit);
        StringAssert.StartsWith(message, "Promote team/app:abc1234 from staging to production\n");
        var trailers = GitTrailers.Parse(message);
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
        Assert.AreEqual(stagingTip, trailers["GitOps-Promoted-From-Commit"]);
        Assert.AreEqual(stagingDeploy, trailers["GitOps-Promoted-From-Deploy-Commit"]);
        Assert.AreEqual(project.Head, trailers["GitOps-Source-Commit"], "carried over from staging's deploy commit");
        Assert.AreEqual($"{Repository}:abc1234@{Digest}", trailers["GitOps-Image"]);
        Assert.AreEqual(Digest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual(project.Head, trailers["Argocd-reference-commit-sha"]);
        Assert.AreEqual($"{Repository}:abc1234@{Digest}", run.Property("GitOpsImage"));
        Assert.AreEqual(project.Head, run.Property("GitOpsSourceCommit"));
    }

    [TestMethod]
    public void A_dry_run_promotion_commits_nothing_and_shows_the_diff()
    {
        using var project = Project();
        DeployToStaging(project, $"{Repository}:abc1234");
        var tip = remote.Tip("main");
        project.SetGlobalProperty("GitOpsDryRun", "true");

        var run = Promote(project);

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(tip, remote.Tip("main"));
        Assert.IsTrue(run.Log.Messages.Any(m => m.Contains("+    newTag: abc1234", StringComparison.Ordinal)), run.ToString());
    }

    [TestMethod]
    public void A_promotion_to_a_push_branch_leaves_the_target_branch_as_it_was()
    {
        using var project = Project();
        DeployToStaging(project, $"{Repository}:abc1234");
        var tip = remote.Tip("main");
        project.SetGlobalProperty("GitOpsConfigPushBranch", "promote/{Tag}");

        var run = Promote(project);

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(tip, remote.Tip("main"));
        Assert.AreEqual("promote/abc1234", run.Property("GitOpsConfigCommitBranch"));
        Assert.AreEqual(Kustomization("production", "abc1234"), File(ProductionPath, "promote/abc1234"));
    }

    [TestMethod]
    public void A_promotion_is_signed_as_a_deploy_is()
    {
        using var keys = new TestKeys();
        var (key, publicKey) = keys.Ssh("promote");
        using var project = Project(Environments, ("GitOpsCommitAuthorEmail", TestKeys.Email));
        DeployToStaging(project, $"{Repository}:abc1234");
        project.SetGlobalProperty("GitOpsCommitSigningFormat", "ssh");
        project.SetGlobalProperty("GitOpsCommitSigningKey", key);

        var run = Promote(project);

        Assert.IsTrue(run.Succeeded, run.ToString());
        var verified = TestKeys.VerifySsh(remote.Path, run.Property("GitOpsConfigCommit"), keys.AllowedSigners(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
    }

    [TestMethod]
    public void A_promotion_of_an_older_build_than_production_runs_is_refused_by_the_deploy_order_guard_GITOPS060()
    {
        using var project = Project();
        var older = project.Head;
        DeployToStaging(project, $"{Repository}:{older[..7]}");
        ProcessRunner.Run("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "--allow-empty", "-m", "later"], project.Root);
        var later = project.Head;
        project.SetGlobalProperty("GitOpsEnvironment", "production");
        project.SetGlobalProperty("GitOpsImage", $"{Repository}:{later[..7]}");
        project.SetGlobalProperty("GitOpsSourceCommit", later);
        Assert.IsTrue(project.Build("GitOpsUpdateConfig").Succeeded);
        var tip = remote.Tip("main");
        var production = File(ProductionPath);
        StringAssert.Contains(production, later[..7]);

        var run = Promote(project);

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.Contains(run.Log.WarningCodes.ToList(), "GITOPS060", run.ToString());
        Assert.AreEqual(tip, remote.Tip("main"));
        Assert.AreEqual(production, File(ProductionPath));
    }

    [TestMethod]
    public void An_environment_named_by_a_glob_deploys_every_file_it_matches()
    {
        remote.Change("main", "Two staging files", new Dictionary<string, string> { ["envs/staging/extra.yaml"] = TestManifest.Deployment($"{Repository}:initial") });
        using var project = Project("""
              <ItemGroup>
                <GitOpsEnvironment Include="staging" ManifestPath="envs/staging/*.yaml" />
              </ItemGroup>
            """);

        DeployToStaging(project, $"{Repository}:abc1234");

        Assert.AreEqual(Kustomization("staging", "abc1234"), File(StagingPath));
        Assert.AreEqual(TestManifest.Deployment($"{Repository}:abc1234"), File("envs/staging/extra.yaml"));
        Assert.AreEqual(Kustomization("production", "initial"), File(ProductionPath));
    }

    [TestMethod]
    public void A_promotion_from_an_environment_without_the_image_is_GITOPS054_and_pushes_nothing()
    {
        remote.Change("main", "Another app in staging", new Dictionary<string, string>
        {
            [StagingPath] = Kustomization("staging", "x").Replace(Repository, "registry.example.com/team/other", StringComparison.Ordinal),
        });
        using var project = Project();
        var tip = remote.Tip("main");

        var run = Promote(project);

        CollectionAssert.AreEqual(new[] { "GITOPS054" }, run.Log.ErrorCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, "registry.example.com/team/other:x");
        Assert.AreEqual(tip, remote.Tip("main"));
    }

    [TestMethod]
    public void A_promotion_from_an_environment_whose_manifests_disagree_is_GITOPS055_and_pushes_nothing()
    {
        remote.Change("main", "A second staging file", new Dictionary<string, string> { ["envs/staging/extra/kustomization.yaml"] = Kustomization("staging", "other") });
        using var project = Project("""
              <ItemGroup>
                <GitOpsEnvironment Include="staging" ManifestPath="envs/staging" />
                <GitOpsEnvironment Include="production" ManifestPath="envs/production/kustomization.yaml" />
              </ItemGroup>
            """);
        var tip = remote.Tip("main");

        var run = Promote(project);

        CollectionAssert.AreEqual(new[] { "GITOPS055" }, run.Log.ErrorCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, "'initial' in envs/staging/kustomization.yaml");
        StringAssert.Contains(run.Log.Errors[0].Message, "'other' in envs/staging/extra/kustomization.yaml");
        Assert.AreEqual(tip, remote.Tip("main"));
    }

    [TestMethod]
    public void A_promotion_without_both_environments_is_GITOPS034_and_an_unknown_one_GITOPS052()
    {
        using var project = Project();

        var same = Promote(project, "staging", "Staging");
        var unknown = Promote(project, "staging", "prod");

        CollectionAssert.AreEqual(new[] { "GITOPS034" }, same.Log.ErrorCodes.ToList(), same.ToString());
        CollectionAssert.AreEqual(new[] { "GITOPS052" }, unknown.Log.ErrorCodes.ToList(), unknown.ToString());
        StringAssert.Contains(unknown.Log.Errors[0].Message, "GitOpsPromoteTo");
    }

    [TestMethod]
    public void A_hand_written_staging_image_is_promoted_with_warning_GITOPS071_and_no_source_trailers()
    {
        remote.Change("main", "Hand edit", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "hand1") });
        using var project = Project();

        var run = Promote(project);

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.Contains(run.Log.WarningCodes.ToList(), "GITOPS071");
        var trailers = GitTrailers.Parse(remote.RawMessage(run.Property("GitOpsConfigCommit")));
        Assert.IsFalse(trailers.ContainsKey("GitOps-Source-Commit"));
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
    }

    [TestMethod]
    public void Status_reports_each_environment_from_its_deploy_commit_and_writes_nothing_to_the_config_repository()
    {
        using var project = Project();
        var deploy = DeployToStaging(project, $"{Repository}:abc1234").Property("GitOpsConfigCommit");
        var refs = remote.Git("for-each-ref");
        project.SetGlobalProperty("GitOpsEnvironment", "");

        var run = project.Build("GitOpsStatus");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(refs, remote.Git("for-each-ref"), "read-only");
        var file = run.Property("GitOpsStatusFile");
        Assert.AreEqual(Path.Combine(project.Root, "obj", "gitops-status.json"), file);
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(file));
        Assert.AreEqual(project.Head, json.RootElement.GetProperty("head").GetString());
        var rows = json.RootElement.GetProperty("environments").EnumerateArray().ToDictionary(e => e.GetProperty("environment").GetString()!);
        var staging = rows["staging"];
        Assert.AreEqual($"{Repository}:abc1234", staging.GetProperty("image").GetString());
        Assert.AreEqual(project.Head, staging.GetProperty("sourceCommit").GetString());
        Assert.AreEqual(deploy, staging.GetProperty("deployCommit").GetString());
        Assert.IsTrue(staging.GetProperty("headDeployed").GetBoolean());
        Assert.AreEqual(0, staging.GetProperty("commitsBehindHead").GetInt32());
        var production = rows["production"];
        Assert.AreEqual($"{Repository}:initial", production.GetProperty("image").GetString());
        Assert.AreEqual(JsonValueKind.Null, production.GetProperty("deployCommit").ValueKind);
        Assert.IsTrue(run.Log.Messages.Any(m => m.StartsWith("GitOps: staging (main): registry.example.com/team/app:abc1234 from commit " + project.Head, StringComparison.Ordinal)
                                               && m.EndsWith("HEAD is deployed", StringComparison.Ordinal)), run.ToString());
    }

    /// <summary>
    /// GitOpsStatus's verdict is per environment: each GitOpsEnvironment item names its own Argo CD applications, each is
    /// looked at once (no wait) on that environment's own deploy commit, and an environment without a source has none.
    /// </summary>
    [TestMethod]
    public void Status_shows_the_agents_last_verdict_per_environment_each_on_its_own_deploy_commit()
    {
        var body = $"""
              <ItemGroup>
                <GitOpsEnvironment Include="staging" ManifestPath="{StagingPath}" ArgoCdApplications="shop-staging" />
                <GitOpsEnvironment Include="production" ManifestPath="{ProductionPath}" ArgoCdApplications="shop/shop-prod" />
                <GitOpsEnvironment Include="preview" ManifestPath="{StagingPath}" />
              </ItemGroup>
            """;
        using var project = Project(body);
        var staging = DeployToStaging(project, $"{Repository}:abc1234").Property("GitOpsConfigCommit");
        var promotion = Promote(project);
        Assert.IsTrue(promotion.Succeeded, promotion.ToString());
        var production = promotion.Property("GitOpsConfigCommit");
        Assert.AreNotEqual(staging, production);
        foreach (var name in new[] { "GitOpsPromoteFrom", "GitOpsPromoteTo" }) project.SetGlobalProperty(name, "");
        using var agent = new GitOps.Build.Tests.Verdict.ArgoCdAgent();
        agent.Script("shop-staging", GitOps.Build.Tests.Verdict.ArgoCdAgent.State("Synced", staging, "Healthy"));
        // Production's rollout of the promotion fails.
        agent.Script("shop-prod", GitOps.Build.Tests.Verdict.ArgoCdAgent.State("Synced", production, "Degraded", healthMessage: "Back-off pulling image"));

        var run = project.Build("GitOpsStatus", new Dictionary<string, string>
        {
            ["GITOPS_ARGOCD_SERVER"] = agent.Url,
            ["GITOPS_ARGOCD_TOKEN"] = GitOps.Build.Tests.Verdict.ArgoCdAgent.Token,
        });

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(0, run.Log.WarningCodes.Count(), run.ToString());
        CollectionAssert.AreEquivalent(new[] { "shop-staging", "shop-prod" }, agent.Gets.Select(g => g.PathValues["name"]).ToArray(), "one look per environment's app");
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(run.Property("GitOpsStatusFile")));
        var rows = json.RootElement.GetProperty("environments").EnumerateArray().ToDictionary(e => e.GetProperty("environment").GetString()!);
        var stagingVerdict = rows["staging"].GetProperty("verdict");
        Assert.AreEqual("success", stagingVerdict.GetProperty("state").GetString());
        Assert.AreEqual("shop-staging", stagingVerdict.GetProperty("targets").EnumerateArray().Single().GetProperty("name").GetString());
        var productionVerdict = rows["production"].GetProperty("verdict");
        Assert.AreEqual("failure", productionVerdict.GetProperty("state").GetString());
        Assert.AreEqual("shop/shop-prod", productionVerdict.GetProperty("targets").EnumerateArray().Single().GetProperty("name").GetString());
        Assert.IsFalse(rows["preview"].TryGetProperty("verdict", out var none) && none.ValueKind != JsonValueKind.Null, "no source, no verdict");
        StringAssert.Contains(run.ToString(), "GitOps: staging: the agent's last verdict: success");
        StringAssert.Contains(run.ToString(), "GitOps: production: the agent's last verdict: failure");
        Assert.IsFalse(run.ToString().Contains("GitOps: preview: the agent's last verdict", StringComparison.Ordinal), run.ToString());
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    [TestCategory("GitServer")]
    public void Promotion_and_status_reach_an_ssh_config_repository_with_the_deploy_key_from_the_environment()
    {
        var environment = TestEnvironment.RequireSsh();
        // The test sshd's git user may reach any absolute path: the local repository, over SSH.
        var ssh = new Dictionary<string, string> { ["GITOPS_SSH_KEY"] = environment.SshDeployKey, ["GITOPS_SSH_KNOWN_HOSTS"] = environment.SshKnownHosts };
        using var project = Project();
        DeployToStaging(project, $"{Repository}:abc1234");
        project.SetGlobalProperty("GitOpsConfigRepository", $"{environment.SshGitBase.Split(environment.GitProjectRoot)[0]}{remote.Path}");
        foreach (var name in new[] { "GitOpsEnvironment", "GitOpsImage", "GitOpsSourceCommit", "GitOpsImageDigest", "GitOpsImageReferenceFormat" })
            project.SetGlobalProperty(name, "");
        project.SetGlobalProperty("GitOpsPromoteFrom", "staging");
        project.SetGlobalProperty("GitOpsPromoteTo", "production");

        var promotion = project.Build("GitOpsPromote", ssh);
        var status = project.Build("GitOpsStatus", ssh);

        Assert.IsTrue(promotion.Succeeded, promotion.ToString());
        Assert.AreEqual(Kustomization("production", "abc1234"), File(ProductionPath));
        Assert.IsTrue(status.Succeeded, status.ToString());
    }

    [TestMethod]
    public void Without_environments_status_reports_the_configured_manifests_as_default()
    {
        using var project = Project("", ("GitOpsManifestPath", StagingPath));

        var run = project.Build("GitOpsStatus");

        Assert.IsTrue(run.Succeeded, run.ToString());
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(run.Property("GitOpsStatusFile")));
        var row = json.RootElement.GetProperty("environments").EnumerateArray().Single();
        Assert.AreEqual("default", row.GetProperty("environment").GetString());
        Assert.AreEqual($"{Repository}:initial", row.GetProperty("image").GetString());
        Assert.AreEqual(JsonValueKind.Null, row.GetProperty("sourceCommit").ValueKind);
    }

    [TestMethod]
    public void Without_ContainerRepository_the_SDKs_default_the_lower_case_assembly_name_is_looked_for()
    {
        using var project = Project(Environments, ("ContainerRepository", ""), ("AssemblyName", "Shop.Web"));

        var run = project.Build("GitOpsStatus");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.IsTrue(run.Log.Warnings.All(w => w.Code == "GITOPS072" && (w.Message ?? "").Contains("'registry.example.com/shop.web'", StringComparison.Ordinal)), run.ToString());
        Assert.HasCount(2, run.Log.Warnings);
    }

    [TestMethod]
    public void Status_reports_an_environment_whose_branch_does_not_exist_with_GITOPS072_and_the_others_as_usual()
    {
        using var project = Project($"""
              <ItemGroup>
                <GitOpsEnvironment Include="staging" ManifestPath="{StagingPath}" />
                <GitOpsEnvironment Include="production" ManifestPath="{ProductionPath}" Branch="production" />
              </ItemGroup>
            """);

        var run = project.Build("GitOpsStatus");

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "GITOPS072" }, run.Log.WarningCodes.ToList(), run.ToString());
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(run.Property("GitOpsStatusFile")));
        var rows = json.RootElement.GetProperty("environments");
        Assert.AreEqual($"{Repository}:initial", rows[0].GetProperty("image").GetString());
        StringAssert.Contains(rows[1].GetProperty("error").GetString(), "'production'");
    }

    [TestMethod]
    public void Status_counts_the_commits_HEAD_is_ahead_of_what_an_environment_runs()
    {
        using var project = Project();
        DeployToStaging(project, $"{Repository}:abc1234");
        foreach (var change in new[] { "one", "two", "three" })
            ProcessRunner.Run("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "--allow-empty", "-m", change], project.Root);
        project.SetGlobalProperty("GitOpsEnvironment", "");

        var run = project.Build("GitOpsStatus");

        Assert.IsTrue(run.Succeeded, run.ToString());
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(run.Property("GitOpsStatusFile")));
        var staging = json.RootElement.GetProperty("environments")[0];
        Assert.IsFalse(staging.GetProperty("headDeployed").GetBoolean());
        Assert.AreEqual(3, staging.GetProperty("commitsBehindHead").GetInt32());
    }

    [TestMethod]
    public void Status_reports_an_environment_it_cannot_read_with_GITOPS072_and_still_reports_the_others()
    {
        remote.Change("main", "Another app in production", new Dictionary<string, string>
        {
            [ProductionPath] = Kustomization("production", "x").Replace(Repository, "registry.example.com/team/other", StringComparison.Ordinal),
        });
        using var project = Project();

        var run = project.Build("GitOpsStatus");

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.AreEqual(new[] { "GITOPS072" }, run.Log.WarningCodes.ToList(), run.ToString());
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(run.Property("GitOpsStatusFile")));
        var rows = json.RootElement.GetProperty("environments");
        Assert.AreEqual($"{Repository}:initial", rows[0].GetProperty("image").GetString());
        StringAssert.Contains(rows[1].GetProperty("error").GetString(), "team/other:x");
    }
}
