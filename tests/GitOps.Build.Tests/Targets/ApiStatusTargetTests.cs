using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;
using static GitOps.Build.Tests.Targets.ApiEnvironments;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsStatus with GitOpsCommitMethod=api, in-process, on each forge's contract server: each environment's image and
/// the deploy commit that put it there are read through the forge's API, and the report (log lines, GitOpsStatusFile)
/// is the git method's. The config repository is at a .invalid host, so a clone would fail the build (GITOPS021).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ApiStatusTargetTests
{
    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void Status_reads_each_environment_and_its_deploy_commit_through_the_forge_API_and_clones_nothing(string name)
    {
        string deploy = "", tip = "";
        using var forge = ApiForgeServer.Start(name, store =>
        {
            store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "initial"),
                [ProductionPath] = Kustomization("production", "initial"),
                ["README.md"] = "config\n",
            }, "Initial config");
            deploy = store.CommitText("main", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "abc1234") }, DeployMessage("abc1234"));
            // A later commit that leaves staging alone: the deploy commit is found in the file's history, not at the tip.
            store.CommitText("main", new Dictionary<string, string> { ["README.md"] = "config, edited\n" }, "Edit the README");
            tip = store.Tip("main")!;
        });
        using var project = TargetsProject.Create(new Dictionary<string, string>
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
                <GitOpsEnvironment Include="staging" ManifestPath="{StagingPath}" />
                <GitOpsEnvironment Include="production" ManifestPath="{ProductionPath}" />
                <GitOpsEnvironment Include="preview" ManifestPath="{StagingPath}" Branch="preview" />
              </ItemGroup>
            """);

        var run = project.Build("GitOpsStatus", new Dictionary<string, string> { ["GITOPS_TOKEN"] = forge.Token });

        Assert.IsTrue(run.Succeeded, run.ToString());
        forge.Server.AssertHonoured();
        Assert.AreEqual(tip, forge.Git.Tip("main"), "read-only");
        using var json = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsStatusFile")));
        var rows = json.RootElement.GetProperty("environments").EnumerateArray().ToDictionary(e => e.GetProperty("environment").GetString()!);
        var staging = rows["staging"];
        Assert.AreEqual($"{Repository}:abc1234", staging.GetProperty("image").GetString());
        Assert.AreEqual("main", staging.GetProperty("configBranch").GetString());
        Assert.AreEqual(deploy, staging.GetProperty("deployCommit").GetString(), "the deploy commit, found through the forge's commit listing");
        Assert.AreEqual(SourceCommit, staging.GetProperty("sourceCommit").GetString());
        Assert.AreEqual(Digest, staging.GetProperty("digest").GetString());
        var production = rows["production"];
        Assert.AreEqual($"{Repository}:initial", production.GetProperty("image").GetString());
        Assert.AreEqual(JsonValueKind.Null, production.GetProperty("deployCommit").ValueKind);
        // A branch that does not exist is that environment's row alone (warning GITOPS072), as with a clone.
        StringAssert.Contains(rows["preview"].GetProperty("error").GetString(), "preview");
        CollectionAssert.AreEqual(new[] { "GITOPS072" }, run.Log.WarningCodes.ToList(), run.ToString());
        Assert.IsTrue(run.Log.Messages.Any(m => m.StartsWith($"GitOps: staging (main): {Repository}:abc1234 from commit {SourceCommit}", StringComparison.Ordinal)), run.ToString());
        Assert.IsTrue(forge.Server.RequestsTo(forge.HistoryOperation).Any(), "the history is the forge's");
        AssertNothingCloned(run);
        // The detailed log says what the API does here: it reads; status makes no commit.
        Assert.IsTrue(run.Log.Messages.Any(m => m.StartsWith("GitOps: GitOpsCommitMethod=api: the config repository is read through the ", StringComparison.Ordinal)), run.ToString());
        Assert.IsFalse(run.Log.Lines.Any(l => l.Contains("makes the commit", StringComparison.Ordinal)), run.ToString());
    }

    /// <summary>
    /// The agent's last verdict under GitOpsCommitMethod=api: Argo CD reports a later commit of the branch than the
    /// staging deploy commit (an unrelated edit landed after it), which the forge's API says carries the deploy; no clone.
    /// </summary>
    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("Bitbucket")]
    public void Status_reads_the_agents_verdict_on_a_later_commit_through_the_forge_API_and_clones_nothing(string name)
    {
        string tip = "";
        using var forge = ApiForgeServer.Start(name, store =>
        {
            store.CommitText("main", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "initial"), ["README.md"] = "config\n" }, "Initial config");
            store.CommitText("main", new Dictionary<string, string> { [StagingPath] = Kustomization("staging", "abc1234") }, DeployMessage("abc1234"));
            tip = store.CommitText("main", new Dictionary<string, string> { ["README.md"] = "config, edited\n" }, "Edit the README");
        });
        using var agent = new GitOps.Build.Tests.Verdict.ArgoCdAgent();
        agent.Script("shop-staging", GitOps.Build.Tests.Verdict.ArgoCdAgent.State("Synced", tip, "Healthy"));
        using var project = TargetsProject.Create(new Dictionary<string, string>
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
                <GitOpsEnvironment Include="staging" ManifestPath="{StagingPath}" ArgoCdApplications="shop-staging" />
              </ItemGroup>
            """);

        var run = project.Build("GitOpsStatus", ForgeAndArgoCd(forge, agent));

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(0, run.Log.WarningCodes.Count(), run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(run.Property("GitOpsStatusFile")));
        var staging = json.RootElement.GetProperty("environments").EnumerateArray().Single();
        Assert.AreEqual("success", staging.GetProperty("verdict").GetProperty("state").GetString(), run.ToString());
        Assert.AreEqual(1, forge.Server.RequestsTo(forge.AncestryOperation).Count(), "the deploy commit's ancestry of the tip, asked once");
        forge.Server.AssertHonoured();
        AssertNothingCloned(run);
    }
}
