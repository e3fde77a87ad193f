using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsPullRequest=true` against the real registry and HTTP git server of
/// build/env for the branch, and the GitHub contract server (held to GitHub's API description) for the pull request:
/// no forge can run here, so its API is the contract server, named by GitOpsForgeApiUrl.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class PullRequestPublishTests
{
    private const string Repository = "team/sample-app";

    [TestMethod]
    public void A_publish_opens_exactly_one_pull_request_a_later_deploy_updates_it_and_a_rerun_only_reports_it()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var pullUrl = $"https://github.example/{github.Owner}/{github.Repository}/pull/1";
        var main = config.Head;
        var tag = app.Head[..7];
        var head = $"gitops/{Repository}-{tag}";
        var forge = new[] { "-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}",
            "-p:GitOpsPullRequestLabels=deploy" };
        var variables = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token };

        var binlog = Path.Combine(app.Root, "publish.binlog");
        var publish = app.PublishWithGitOps(environment, config.Url, variables, [.. forge, "-v:d", $"-bl:{binlog}"]);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        github.AssertHonoured();
        Assert.AreEqual(main, config.Head, "the base branch is untouched: the commit waits in the pull request");
        Assert.AreEqual(main, config.Parent(head), "one commit on the pull request's branch, on top of main");
        var pull = github.PullRequests.Values.Single();
        Assert.AreEqual(head, (string?)pull["head"]!["ref"]);
        Assert.AreEqual("main", (string?)pull["base"]!["ref"]);
        Assert.AreEqual($"Deploy {Repository}:{tag}", (string?)pull["title"]);
        StringAssert.Contains((string?)pull["body"], $"{environment.Registry}/{Repository}:{tag}");
        StringAssert.Contains((string?)pull["body"], "```diff");
        Assert.AreEqual("deploy", (string?)pull["labels"]![0]!["name"]);
        StringAssert.Contains(publish.StandardOutput, "GitOps: opened pull request " + pullUrl);
        var result = app.Result();
        Assert.AreEqual(pullUrl, result.GetProperty("pullRequest").GetProperty("url").GetString());
        Assert.AreEqual(1, result.GetProperty("pullRequest").GetProperty("number").GetInt64());
        Assert.IsTrue(result.GetProperty("pullRequest").GetProperty("created").GetBoolean());
        // One read before the push: GitOpsConfigBranch is unset, so the repository, whose default branch is the base.
        Assert.AreEqual("repos/get", github.Server.Requests[0].Operation?.OperationId);

        // A later deploy to the same branch updates the pull request; it never opens a second one.
        var update = app.UpdateConfig(config.Url, variables, $"127.0.0.1:5000/{Repository}:bbbbbbb", [.. forge, $"-p:GitOpsConfigPushBranch={head}"]);
        Assert.IsTrue(update.Succeeded, update.ToString());
        github.AssertHonoured();
        Assert.AreEqual(1, github.PullRequests.Count);
        Assert.AreEqual($"Deploy {Repository}:bbbbbbb", (string?)pull["title"]);
        StringAssert.Contains(update.StandardOutput, "GitOps: updated pull request " + pullUrl);
        Assert.IsFalse(app.Result().GetProperty("pullRequest").GetProperty("created").GetBoolean());
        var branchTip = config.Sha(head);

        // A run that changes nothing commits nothing and opens nothing, but reports the open pull request.
        var rerun = app.UpdateConfig(config.Url, variables, $"127.0.0.1:5000/{Repository}:bbbbbbb", [.. forge, $"-p:GitOpsConfigPushBranch={head}", "-getProperty:GitOpsPullRequestUrl"]);
        Assert.IsTrue(rerun.Succeeded, rerun.ToString());
        Assert.AreEqual(1, github.PullRequests.Count);
        Assert.AreEqual(branchTip, config.Sha(head));
        StringAssert.Contains(rerun.StandardOutput, pullUrl);
        Assert.AreEqual(main, config.Head);

        // Neither token reaches the console, the binary log, the result file or the forge's pull request.
        var replayed = Path.Combine(app.Root, "publish.log");
        app.Dotnet(null, "msbuild", binlog, $"-flp:logfile={replayed};verbosity=diagnostic", "-noconlog");
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
            gzip.CopyTo(raw);
        foreach (var token in new[] { GitHubContract.Token, environment.GitToken })
        foreach (var (where, text) in new[]
                 {
                     ("console", publish.ToString() + update + rerun), ("replayed binary log", File.ReadAllText(replayed)),
                     ("binary log", Encoding.UTF8.GetString(raw.ToArray())), ("result file", app.Result().ToString()), ("pull request", pull.ToJsonString()),
                 })
            Assert.IsFalse(text.Contains(token, StringComparison.Ordinal), $"a token is in the {where}");
        // The git token went to the git server only: the forge saw its own token on every request.
        Assert.IsTrue(github.Server.Requests.All(r => r.Authorization == "Bearer " + GitHubContract.Token));
    }

    [TestMethod]
    public void A_bad_forge_token_fails_before_the_push_and_leaves_no_branch()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(AppWorkspace.ConsoleProject(AppWorkspace.ManifestPathProperty));
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var before = Branches(config);

        var run = app.UpdateConfig(config.Url, new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = "ghp_revoked" },
            $"127.0.0.1:5000/{Repository}:ccccccc", ["-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}"]);

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.StandardOutput, "error GITOPS125");
        CollectionAssert.AreEquivalent(before, Branches(config), "nothing was pushed");
        Assert.AreEqual(0, github.PullRequests.Count);
        Assert.IsFalse(run.ToString().Contains("ghp_revoked", StringComparison.Ordinal));
    }

    [TestMethod]
    public void A_GitHub_App_publishes_with_its_installation_token_and_the_next_release_supersedes_the_pull_request_and_asks_for_auto_merge()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        // The exchange issues the git server's own token: the push works only if git used the App's installation token.
        using var github = config.GitHubContract(installationToken: environment.GitToken);
        var main = config.Head;
        var tag = app.Head[..7];
        var first = $"gitops/{Repository}-{tag}";
        var second = $"gitops/{Repository}-ddddddd";
        var forge = new[] { "-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}" };
        // No GITOPS_TOKEN, no GITOPS_FORGE_TOKEN: the App's id and key (PEM content, as a CI secret holds it), the installation looked up.
        var variables = new Dictionary<string, string?>
        {
            ["GITOPS_TOKEN"] = null, ["GITOPS_FORGE_TOKEN"] = null,
            ["GITOPS_GITHUB_APP_ID"] = GitHubContract.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GITOPS_GITHUB_APP_PRIVATE_KEY"] = github.AppKey.ExportRSAPrivateKeyPem(),
        };

        var publish = app.PublishWithGitOps(environment, config.Url, variables, [.. forge, "-v:n"]);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        github.AssertHonoured();
        Assert.AreEqual(0, github.JwtProblems.Count, string.Join("; ", github.JwtProblems));
        StringAssert.Contains(publish.StandardOutput, $"GitOps: authenticated as GitHub App {GitHubContract.AppId}");
        Assert.AreEqual(main, config.Parent(first), "git pushed the branch with the installation token");
        var older = github.PullRequests.Values.Single();
        Assert.AreEqual(first, (string?)older["head"]!["ref"]);
        // The JWT opened the two App operations only; every other call carried the installation token.
        CollectionAssert.AreEqual(new[] { "apps/get-repo-installation", "apps/create-installation-access-token" },
            github.Server.Requests.Take(2).Select(r => r.Operation?.OperationId).ToArray());
        Assert.IsTrue(github.Server.Requests.Skip(2).All(r => r.Authorization == "Bearer " + environment.GitToken));

        // The next release of the same image to the same manifest supersedes the older pull request, and asks for auto-merge.
        var next = app.UpdateConfig(config.Url, variables, $"127.0.0.1:5000/{Repository}:ddddddd",
            [.. forge, "-p:GitOpsPullRequestSupersede=true", "-p:GitOpsPullRequestAutoMerge=true", "-p:GitOpsPullRequestMergeMethod=squash"]);

        Assert.IsTrue(next.Succeeded, next.ToString());
        github.AssertHonoured();
        Assert.AreEqual(main, config.Parent(second));
        var newer = github.Open.Single();
        Assert.AreEqual(second, (string?)newer["head"]!["ref"]);
        var newerUrl = (string)newer["html_url"]!;
        Assert.AreEqual("closed", (string?)github.PullRequests[(long)older["number"]!]["state"]);
        StringAssert.Contains(github.Comments[(long)older["number"]!].Single(), newerUrl);
        CollectionAssert.AreEqual(new[] { first }, github.DeletedBranches);
        Assert.AreEqual("SQUASH", github.AutoMerge[(long)newer["number"]!]);
        StringAssert.Contains(next.StandardOutput, $"GitOps: closed pull request {older["html_url"]}, superseded by {newerUrl}");
        StringAssert.Contains(next.StandardOutput, $"GitOps: {newerUrl} merges (squash) once its checks pass.");
        var key = variables["GITOPS_GITHUB_APP_PRIVATE_KEY"]!.Split('\n')[1];
        foreach (var secret in new[] { environment.GitToken, key })
            Assert.IsFalse((publish.ToString() + next).Contains(secret, StringComparison.Ordinal), "a secret is in the console output");
    }

    [TestMethod]
    public void A_promotion_through_a_pull_request_proposes_exactly_what_staging_runs_and_leaves_the_base_alone()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var variables = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token };
        // Staging's deploy goes straight to main; production's promotion goes through a pull request.
        var staging = app.UpdateConfig(config.Url, variables, $"127.0.0.1:5000/{Repository}:eeeeeee", ["-p:GitOpsEnvironment=staging"]);
        Assert.IsTrue(staging.Succeeded, staging.ToString());
        var main = config.Head;

        var promote = app.Dotnet(variables, "msbuild", "-t:GitOpsPromote", "-v:n", "-nologo", "-p:GitOpsPromoteFrom=staging", "-p:GitOpsPromoteTo=production",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:ContainerRegistry={environment.Registry}",
            "-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}", "-getProperty:GitOpsPullRequestUrl");

        Assert.IsTrue(promote.Succeeded, promote.ToString());
        github.AssertHonoured();
        Assert.AreEqual(main, config.Head, "the promotion waits in the pull request");
        var head = $"gitops/{Repository}-eeeeeee";
        Assert.AreEqual(main, config.Parent(head));
        Assert.AreEqual("staging", config.Trailers(head)["GitOps-Promoted-From"]);
        var pull = github.PullRequests.Values.Single();
        Assert.AreEqual(head, (string?)pull["head"]!["ref"]);
        Assert.AreEqual("main", (string?)pull["base"]!["ref"]);
        StringAssert.Contains((string?)pull["body"], "apps/sample-app-kustomize/overlays/production/kustomization.yaml");
        StringAssert.Contains(promote.StandardOutput, (string)pull["html_url"]!, "GitOpsPullRequestUrl is set when GitOpsPromote finishes");
    }

    [TestMethod]
    public void A_dry_run_prints_the_pull_request_it_would_open_and_calls_no_forge_API()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(AppWorkspace.ConsoleProject(AppWorkspace.ManifestPathProperty));
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var before = Branches(config);

        var run = app.UpdateConfig(config.Url, new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token },
            $"127.0.0.1:5000/{Repository}:fffffff", ["-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}", "-p:GitOpsDryRun=true",
                "-p:GitOpsPullRequestTitle=Ship {Tag}"]);

        Assert.IsTrue(run.Succeeded, run.ToString());
        StringAssert.Contains(run.StandardOutput,
            $"GitOps: dry run: would open (or update) a GitHub pull request in {github.Owner}/{github.Repository} from 'gitops/{Repository}-fffffff' into '(default branch)': Ship fffffff");
        Assert.AreEqual(0, github.Server.Requests.Count, "a dry run calls no forge API");
        CollectionAssert.AreEquivalent(before, Branches(config), "nothing was pushed");
    }

    [TestMethod]
    public void A_release_of_two_services_is_one_branch_one_commit_and_one_pull_request()
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        using var github = config.GitHubContract();
        var main = config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, registryOnCommandLine: true,
            new Dictionary<string, string?> { ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token },
            "-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        github.AssertHonoured();
        Assert.AreEqual(main, config.Head);
        var pull = github.PullRequests.Values.Single();
        var head = (string)pull["head"]!["ref"]!;
        Assert.AreEqual(main, config.Parent(head), "one commit for the release");
        CollectionAssert.AreEquivalent(shop.Services.Select(ReleaseWorkspace.Manifest).ToArray(), config.ChangedFiles(main, head));
        foreach (var service in shop.Services)
            StringAssert.Contains((string?)pull["body"], $"{environment.Registry}/{ReleaseWorkspace.Repository(service)}:{shop.Head[..7]}");
        Assert.AreEqual(1, publish.StandardOutput.Split('\n').Count(l => l.Contains("GitOps: opened pull request", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow("scope", "GITOPS126", false, DisplayName = "403 names the missing scope, before the push")]
    [DataRow("base", "GITOPS127", false, DisplayName = "404 names the base branch, before the push")]
    [DataRow("rate", "GITOPS129", false, DisplayName = "a rate limit past GitOpsConfigTimeout, before the push")]
    [DataRow("validation", "GITOPS131", true, DisplayName = "422 after the push names the pushed branch, which stays")]
    [DataRow("forge", "GITOPS120", false, DisplayName = "a forge that cannot be inferred names GitOpsForge")]
    public void Each_forge_error_is_coded_names_what_to_fix_and_loses_no_commit(string fault, string code, bool pushed)
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(AppWorkspace.ConsoleProject(AppWorkspace.ManifestPathProperty));
        using var config = TestConfigRepository.OnServer(environment);
        using var github = config.GitHubContract();
        var main = config.Head;
        var before = Branches(config);
        var head = $"gitops/{Repository}-1234abc";
        string[] properties = ["-p:GitOpsPullRequest=true", "-p:GitOpsForge=GitHub", $"-p:GitOpsForgeApiUrl={github.Server.ApiRoot}"];
        string named;
        switch (fault)
        {
            case "scope":
                github.Server.Fail("repos/get", ContractResponse.Error(403, "Resource not accessible by personal access token",
                    new Dictionary<string, string> { ["X-Accepted-OAuth-Scopes"] = "repo", ["X-OAuth-Scopes"] = "read:org" }));
                named = "the scope repo";
                break;
            case "base":
                properties = [.. properties, "-p:GitOpsConfigBranch=production"];
                named = "'production'";
                break;
            case "rate":
                github.Server.Fail("repos/get", ContractResponse.Error(403, "API rate limit exceeded", new Dictionary<string, string>
                {
                    ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                }));
                properties = [.. properties, "-p:GitOpsConfigTimeout=60"];
                named = "GitOpsConfigTimeout";
                break;
            case "validation":
                github.Server.Fail("pulls/create", new ContractResponse(422, new System.Text.Json.Nodes.JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["errors"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["resource"] = "PullRequest", ["field"] = "base", ["code"] = "invalid" }),
                    ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                }));
                named = $"'{head}'";
                break;
            default:
                properties = ["-p:GitOpsPullRequest=true"];
                named = "GitOpsForge";
                break;
        }

        var run = app.UpdateConfig(config.Url, new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = GitHubContract.Token },
            $"127.0.0.1:5000/{Repository}:1234abc", properties);

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.StandardOutput, $"error {code}", run.ToString());
        StringAssert.Contains(run.StandardOutput, named);
        Assert.IsFalse(run.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), "a stack trace");
        github.AssertHonoured();
        Assert.AreEqual(main, config.Head, "the base branch is untouched");
        Assert.AreEqual(0, github.Open.Count());
        if (pushed)
        {
            // No commit is lost: the branch holds it, and the error names both.
            Assert.AreEqual(main, config.Parent(head));
            StringAssert.Contains(run.StandardOutput, config.Sha(head));
        }
        else
        {
            CollectionAssert.AreEquivalent(before, Branches(config), "nothing was pushed");
        }
    }

    private static string[] Branches(TestConfigRepository config) =>
        ProcessRunner.Run("git", ["--git-dir", config.GitDirectory, "for-each-ref", "--format=%(refname:short)", "refs/heads"]).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
