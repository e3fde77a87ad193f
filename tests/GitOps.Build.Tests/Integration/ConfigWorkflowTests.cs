using System.Text;

namespace GitOps.Build.Tests.Integration;

/// <summary>The config-repository workflows a team runs with the standalone target: pull-request branches and rollback by revert.</summary>
[TestClass]
[TestCategory("Publish")]
public sealed class ConfigWorkflowTests
{
    private static string Deploy(AppWorkspace app, TestConfigRepository config, string tag, params string[] extra)
    {
        var result = app.Dotnet(null, ["msbuild", "-t:GitOpsUpdateConfig", $"-p:GitOpsImage=127.0.0.1:5000/team/sample-app:{tag}",
            $"-p:GitOpsConfigRepository={config.Url}", .. extra]);
        Assert.IsTrue(result.Succeeded, result.ToString());
        return result.StandardOutput;
    }

    [TestMethod]
    public void A_push_branch_gets_the_commit_and_the_target_branch_stays_as_it_was()
    {
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.Local();
        var main = config.Head;

        var output = Deploy(app, config, "abc1234", "-p:GitOpsConfigPushBranch=deploy/{Repository}-{Tag}");

        Assert.AreEqual(main, config.Head);
        const string branch = "deploy/team/sample-app-abc1234";
        Assert.AreEqual(main, config.Parent(branch));
        StringAssert.Contains(Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath, branch)), "sample-app:abc1234");
        StringAssert.Contains(output, $"({branch})");

        // A re-run finds its change already on the branch.
        Deploy(app, config, "abc1234", "-p:GitOpsConfigPushBranch=deploy/{Repository}-{Tag}");
        Assert.AreEqual(main, config.Parent(branch));
    }

    [TestMethod]
    public void Reverting_a_deploy_restores_the_previous_manifest_and_later_deploys_follow_the_order_rule()
    {
        using var app = AppWorkspace.FromSample();
        var a = app.Commit("A")[..7];
        var b = app.Commit("B")[..7];
        var c = app.Commit("C")[..7];
        using var config = TestConfigRepository.Local();
        Deploy(app, config, a);
        var deployedA = config.ReadFile(TestConfigRepository.DeploymentPath);
        Deploy(app, config, c);

        config.Revert("main");

        // The revert is the rollback: the manifest is A's again, byte for byte.
        CollectionAssert.AreEqual(deployedA, config.ReadFile(TestConfigRepository.DeploymentPath));
        var afterRevert = config.Head;

        // A build of B (later than the deployed A) lands; then A's build finishing late must not go back.
        Deploy(app, config, b);
        StringAssert.Contains(Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)), $"sample-app:{b}");
        Assert.AreEqual(afterRevert, config.Parent());
        var output = Deploy(app, config, a);
        StringAssert.Contains(output, "warning GITOPS060");
        StringAssert.Contains(Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)), $"sample-app:{b}");
    }
}
