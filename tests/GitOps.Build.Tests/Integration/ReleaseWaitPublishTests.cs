using System.Text.Json;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Signing;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// A release (`dotnet publish Shop.slnx -p:GitOpsPush=true -p:GitOpsWaitForDeploy=true`) against the real registry and
/// HTTP git server of build/env, with the agent played by Argo CD's contract server or the GitHub contract server (no
/// cluster, Argo CD or forge can run here): a Degraded release commit is reverted by one signed revert for all its
/// images (GITOPS163), a branch that moved is left alone (GITOPS136, GITOPS160); a release to two config repositories
/// through pull requests waits for each pull request's merge, then for the statuses on each merge commit.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class ReleaseWaitPublishTests
{
    private const string Application = "shop";

    [TestMethod]
    public void A_degraded_release_is_reverted_in_one_commit_on_the_git_server_and_the_build_fails_with_GITOPS163()
    {
        var environment = TestEnvironment.Require();
        using var keys = new TestKeys();
        var (keyPath, publicKey) = keys.Ssh("release");
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        using var agent = new ArgoCdAgent { DeployCommit = () => config.Head };
        var before = config.Head;
        // One look at the release commit (Degraded), then the revert is the branch's tip: Healthy.
        agent.Script(Application,
            ArgoCdAgent.State("Synced", "{deploy}", "Degraded", healthMessage: "Deployment shop-api exceeded its progress deadline"),
            ArgoCdAgent.State("Synced", "{deploy}", "Healthy"));

        var variables = agent.Variables();
        variables["GITOPS_SIGNING_KEY"] = File.ReadAllText(keyPath);

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, registryOnCommandLine: true, variables, "-p:GitOpsCommitSigningFormat=ssh",
            "-p:GitOpsWaitForDeploy=true", $"-p:GitOpsArgoCdApplications={Application}", "-p:GitOpsRollbackOnFailure=true", "-v:n");

        Assert.IsFalse(publish.Succeeded, publish.ToString());
        Assert.AreEqual(1, Lines(publish, "error GITOPS163"), publish.StandardOutput);
        Assert.AreEqual(1, Lines(publish, "error GITOPS"), "no other error: " + publish.StandardOutput);
        Assert.IsFalse(publish.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), publish.ToString());
        var revert = config.Head;
        var release = config.Parent(revert);
        Assert.AreEqual(before, config.Parent(release), "the release commit, then one revert, on the server's branch");
        CollectionAssert.AreEquivalent(shop.Services.Select(ReleaseWorkspace.Manifest).ToArray(), config.ChangedFiles(release, revert),
            "the one revert undoes every image of the release");
        foreach (var service in shop.Services)
            CollectionAssert.AreEqual(config.ReadFile(ReleaseWorkspace.Manifest(service), before), config.ReadFile(ReleaseWorkspace.Manifest(service), revert),
                $"{service}: what ran before runs again");
        foreach (var signed in new[] { release, revert })
        {
            var verified = TestKeys.VerifySsh(config.GitDirectory, signed, keys.AllowedSigners(publicKey));
            Assert.IsTrue(verified.Succeeded, $"{signed} is signed as every config commit: {verified}");
        }
        var trailers = config.Trailers(revert);
        Assert.AreEqual(release, trailers["GitOps-Rollback-Of"]);
        StringAssert.Contains(trailers["GitOps-Rollback-Verdict"], "Argo CD app shop is Degraded: Deployment shop-api exceeded its progress deadline");
        foreach (var service in shop.Services)
        {
            var result = ResultOf(shop, service);
            Assert.AreEqual("failure", result.GetProperty("verdict").GetProperty("state").GetString(), service);
            var rollback = result.GetProperty("rollback");
            Assert.AreEqual("reverted", rollback.GetProperty("state").GetString(), service);
            Assert.AreEqual(release, rollback.GetProperty("deployCommit").GetString());
            Assert.AreEqual(revert, rollback.GetProperty("revertCommit").GetString());
            Assert.AreEqual("success", rollback.GetProperty("verdict").GetProperty("state").GetString());
        }
        Assert.AreEqual(2, agent.Gets.Count, "one look at the release commit, one at the revert");
        Assert.IsFalse(publish.ToString().Contains(ArgoCdAgent.Token, StringComparison.Ordinal), "the Argo CD token is in the output");
        agent.Server.AssertHonoured();
    }

    [TestMethod]
    public void A_release_branch_that_moved_while_waiting_is_not_reverted_GITOPS136_and_GITOPS160()
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        using var agent = new ArgoCdAgent();
        string? release = null;
        string? other = null;
        agent.Script(Application, ArgoCdAgent.State("Synced", "{deploy}", "Degraded"));
        // While the build waits on its release, another pipeline's deploy lands on the server's branch.
        agent.BeforeGet = answered =>
        {
            if (answered != 0) return;
            release = config.Head;
            other = config.Push("apps/other/deployment.yaml", $"image: {environment.Registry}/team/other:v9\n", "Deploy other:v9");
        };
        agent.DeployCommit = () => release ?? config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, registryOnCommandLine: true, agent.Variables(),
            "-p:GitOpsWaitForDeploy=true", $"-p:GitOpsArgoCdApplications={Application}", "-p:GitOpsRollbackOnFailure=true", "-v:n");

        Assert.IsFalse(publish.Succeeded, publish.ToString());
        Assert.AreEqual(1, Lines(publish, "error GITOPS136"), publish.StandardOutput);
        Assert.AreEqual(1, Lines(publish, "error GITOPS160"), publish.StandardOutput);
        Assert.AreEqual(0, Lines(publish, "error GITOPS163"), publish.StandardOutput);
        Assert.IsNotNull(other, "the agent was never asked");
        Assert.AreEqual(other, config.Head, "nothing was reverted or pushed over the other deploy");
        Assert.AreEqual(release, config.Parent(other));
        StringAssert.Contains(publish.StandardOutput, $"is at {other[..7]} now, not at {release![..7]}");
        var rollback = ResultOf(shop, shop.Services[0]).GetProperty("rollback");
        Assert.AreEqual("refused", rollback.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS160", rollback.GetProperty("code").GetString());
        Assert.AreEqual(1, agent.Gets.Count, "no revert, so no wait on one");
    }

    [TestMethod]
    public void A_release_of_two_pull_requests_waits_for_each_merge_then_for_the_statuses_on_each_merge_commit()
    {
        var environment = TestEnvironment.Require();
        // Each project names its config repository and that repository's forge API: one commit, one pull request each.
        using var shop = ReleaseWorkspace.Create(properties: service =>
            $"<GitOpsConfigRepository>$(ConfigOf_{service.Replace('-', '_')})</GitOpsConfigRepository>" +
            $"<GitOpsForgeApiUrl>$(ApiOf_{service.Replace('-', '_')})</GitOpsForgeApiUrl>");
        using var webConfig = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        using var apiConfig = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        using var webForge = webConfig.GitHubContract();
        using var apiForge = apiConfig.GitHubContract();
        var merges = new Dictionary<GitHubContract, string>();
        var agents = new List<StatusAgent>();
        foreach (var (forge, config, name) in new[] { (webForge, webConfig, "web"), (apiForge, apiConfig, "api") })
        {
            forge.MergeWith = pull => merges[forge] = config.Merge((string)pull["head"]!["ref"]!, $"Merge pull request #1 ({name})");
            // Each forge merges once its pull request's checks pass: on the second read of it.
            forge.ScriptPull(1, "open", "merged");
            var agent = new StatusAgent(forge, () => merges.GetValueOrDefault(forge, ""));
            agent.Statuses(StatusAgent.Status("kustomization/apps", "pending", "Reconciliation in progress"));
            agent.Statuses(StatusAgent.Status("kustomization/apps", "success", "Applied revision", "https://flux.example.com/apps"));
            agents.Add(agent);
        }
        var (webBefore, apiBefore) = (webConfig.Head, apiConfig.Head);
        var variables = new Dictionary<string, string?> { ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token };

        var publish = shop.Publish(environment, "Shop.slnx", configUrl: null, registryOnCommandLine: true, variables,
            $"-p:ConfigOf_shop_web={webConfig.Url}", $"-p:ConfigOf_shop_api={apiConfig.Url}",
            $"-p:ApiOf_shop_web={webForge.Server.ApiRoot}", $"-p:ApiOf_shop_api={apiForge.Server.ApiRoot}",
            "-p:GitOpsPullRequest=true", "-p:GitOpsPullRequestAutoMerge=true", "-p:GitOpsForge=GitHub",
            "-p:GitOpsWaitForDeploy=true", "-p:GitOpsDeployStatusContexts=kustomization/*", "-p:GitOpsWaitTimeout=120");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        foreach (var (forge, config, before, service) in new[] { (webForge, webConfig, webBefore, "shop-web"), (apiForge, apiConfig, apiBefore, "shop-api") })
        {
            forge.AssertHonoured();
            Assert.IsTrue(merges.TryGetValue(forge, out var merged), $"{service}: the build waited until its pull request was merged");
            Assert.AreEqual(merged, config.Head, service);
            Assert.AreEqual(before, config.Parent(merged), $"{service}: the merge commit's first parent is the old main");
            Assert.AreEqual(2, forge.Server.RequestsTo("pulls/get").Count(), $"{service}: its pull request was read until merged");
            var statusReads = forge.Server.RequestsTo("repos/list-commit-statuses-for-ref").ToList();
            Assert.AreEqual(2, statusReads.Count, $"{service}: pending, then success");
            Assert.IsTrue(statusReads.All(r => r.PathValues["ref"] == merged), $"{service}: only the merge commit's statuses were read");
            StringAssert.Contains(publish.StandardOutput, $"merged into 'main' as {merged[..7]}");
            var verdict = ResultOf(shop, service).GetProperty("verdict");
            Assert.AreEqual("success", verdict.GetProperty("state").GetString(), service);
            Assert.AreEqual(merged, verdict.GetProperty("commit").GetString(), $"{service}: the verdict is the merge commit's");
        }
        // Every merge first, then the verdicts: both pull requests are merged before any status is waited for.
        var output = publish.StandardOutput;
        var lastMerge = output.LastIndexOf("merged into 'main' as", StringComparison.Ordinal);
        var firstStatus = output.IndexOf("GitOps: waiting for status kustomization/apps", StringComparison.Ordinal);
        Assert.IsTrue(lastMerge >= 0 && firstStatus > lastMerge, output);
        Assert.IsFalse(publish.ToString().Contains(GitHubContract.Token, StringComparison.Ordinal));
    }

    /// <summary>Distinct lines holding <paramref name="what"/>, from it on: MSBuild repeats each error in its summary, with another prefix.</summary>
    private static int Lines(ProcessResult run, string what) =>
        run.StandardOutput.Split('\n').Where(line => line.Contains(what, StringComparison.Ordinal))
            .Select(line => line[line.IndexOf(what, StringComparison.Ordinal)..].Trim()).Distinct().Count();

    private static JsonElement ResultOf(ReleaseWorkspace shop, string service) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(shop.Root, service, "bin", "Release", "net10.0", "publish", "gitops-result.json"))).RootElement.Clone();
}
