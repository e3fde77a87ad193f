using System.Net;
using System.Text.Json.Nodes;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Verdict;
using static GitOps.Build.Tests.Targets.ApiEnvironments;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsWaitForDeploy with GitOpsArgoCdApplications under GitOpsCommitMethod=api, in-process, on each forge's contract
/// server and Argo CD's: the forge makes the deploy commit, and whether the revision Argo CD synced is that commit or a
/// later one of the branch is asked of the forge's API (its compare or merge base, held to its vendored description).
/// The config repository is at a .invalid host, so a clone, had one been tried, would fail the build.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ApiDeployWaitTargetTests
{
    private const string Application = "shop-prod";

    private static (ApiForgeServer Forge, string Initial) Start(string name)
    {
        var initial = "";
        var forge = ApiForgeServer.Start(name, store =>
        {
            initial = store.CommitText("main", new Dictionary<string, string>
            {
                [StagingPath] = Kustomization("staging", "initial"),
                ["README.md"] = "config\n",
            }, "Initial config");
        });
        return (forge, initial);
    }

    /// <summary>The standalone update of staging to :v2 through the forge's API, then the wait on Argo CD (up to <paramref name="timeout"/> s).</summary>
    private static TargetRun Deploy(List<IDisposable> owned, ApiForgeServer forge, ArgoCdAgent agent, int timeout = 60)
    {
        var project = TargetsProject.Create(new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = forge.ConfigUrl,
            ["GitOpsConfigBranch"] = "main",
            ["GitOpsCommitMethod"] = "api",
            ["GitOpsForge"] = forge.Name,
            ["GitOpsForgeApiUrl"] = forge.ApiRoot.ToString(),
            ["GitOpsManifestPath"] = StagingPath,
            ["GitOpsImage"] = $"{Repository}:v2",
            ["GitOpsWaitForDeploy"] = "true",
            ["GitOpsWaitTimeout"] = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GitOpsArgoCdApplications"] = Application,
        });
        owned.Add(project);
        return project.Build("GitOpsUpdateConfig", ForgeAndArgoCd(forge, agent));
    }

    private readonly List<IDisposable> owned = [];

    [TestCleanup]
    public void DisposeProjects()
    {
        foreach (var item in owned) item.Dispose();
        owned.Clear();
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void Synced_at_the_deploy_commit_is_a_success_with_no_ancestry_question(string name)
    {
        var (forge, _) = Start(name);
        using var _forge = forge;
        using var agent = new ArgoCdAgent { DeployCommit = () => forge.Git.Tip("main")! };
        agent.Script(Application, ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));

        var run = Deploy(owned, forge, agent);

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual("success", run.Property("GitOpsDeployVerdict"));
        Assert.AreEqual(0, forge.Server.RequestsTo(forge.AncestryOperation).Count(), "the deploy commit itself needs no question");
        forge.Server.AssertHonoured();
        agent.Server.AssertHonoured();
        AssertNothingCloned(run);
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void Synced_at_a_later_commit_of_the_branch_is_a_success_asked_of_the_forge(string name)
    {
        var (forge, _) = Start(name);
        using var _forge = forge;
        string? deploy = null, later = null;
        // Another deploy lands after this one before Argo CD looks: it reports that later commit, which carries this one.
        using var agent = new ArgoCdAgent
        {
            DeployCommit = () =>
            {
                if (later is null)
                {
                    deploy = forge.Git.Tip("main");
                    later = forge.Git.CommitText("main", new Dictionary<string, string> { ["README.md"] = "config, edited\n" }, "Edit the README");
                }
                return later;
            },
        };
        agent.Script(Application, ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));

        var run = Deploy(owned, forge, agent);

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual("success", run.Property("GitOpsDeployVerdict"));
        Assert.AreNotEqual(deploy, later);
        var questions = forge.Server.RequestsTo(forge.AncestryOperation).ToList();
        Assert.IsTrue(questions.Count is >= 1 and <= 2, $"the deploy commit's ancestry of the revision (and the revision's of the tip, the same commit here): {questions.Count}");
        Assert.IsTrue(questions.Any(q => q.Path.Contains(deploy!, StringComparison.Ordinal) || q.Query.Any(p => p.Value.Contains(deploy!, StringComparison.Ordinal))),
            "the forge is asked about the deploy commit");
        forge.Server.AssertHonoured();
        AssertNothingCloned(run);
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void Synced_at_an_older_commit_keeps_waiting_asks_once_and_times_out_with_GITOPS135(string name)
    {
        var (forge, initial) = Start(name);
        using var _forge = forge;
        using var agent = new ArgoCdAgent();
        agent.Script(Application, ArgoCdAgent.State("Synced", initial, "Healthy"));

        var run = Deploy(owned, forge, agent, timeout: 4);

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS135" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        Assert.AreEqual("timeout", run.Property("GitOpsDeployVerdict"));
        Assert.IsTrue(agent.Gets.Count >= 2, $"it kept looking: {agent.Gets.Count}");
        Assert.AreEqual(1, forge.Server.RequestsTo(forge.AncestryOperation).Count(), "the older commit is asked about once, its answer remembered");
        forge.Server.AssertHonoured();
        AssertNothingCloned(run);
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_forge_that_refuses_the_question_fails_the_wait_with_GITOPS153_quoting_its_error(string name)
    {
        var (forge, initial) = Start(name);
        using var _forge = forge;
        forge.Server.Fail(forge.AncestryOperation, new ContractResponse((int)HttpStatusCode.Forbidden, new JsonObject { ["message"] = "Resource not accessible by token" }), count: 5);
        using var agent = new ArgoCdAgent();
        agent.Script(Application, ArgoCdAgent.State("Synced", initial, "Healthy"));

        var run = Deploy(owned, forge, agent);

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS153" }, run.Log.ErrorCodes.ToArray(), run.ToString());
        var message = run.Log.Errors[0].Message;
        StringAssert.Contains(message, "GITOPS126");
        StringAssert.Contains(message, initial);
        StringAssert.Contains(message, forge.Name);
        AssertNothingCloned(run);
    }
}
