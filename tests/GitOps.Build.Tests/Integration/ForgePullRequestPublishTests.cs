using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true -p:GitOpsPullRequest=true` on GitLab, Azure DevOps, Gitea and Bitbucket (GitHub:
/// <see cref="PullRequestPublishTests"/>): the branch goes to the real HTTP git server of build/env, the API calls to
/// the forge's contract server (held to its vendored published description), named by GitOpsForgeApiUrl. No forge can
/// run here, so the contract server is the only stand-in. One pull request per release; a later deploy to the same
/// branch updates it; a re-run that changes nothing only reports it.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class ForgePullRequestPublishTests
{
    private const string Repository = "team/sample-app";
    private const string ForgeToken = "good";

    [TestMethod]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_publish_opens_one_pull_request_per_release_a_later_deploy_updates_it_and_a_rerun_only_reports_it(string forge)
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        // Azure DevOps reads organization, project and repository from the URL's {organization}/{project}/_git/{repository}.
        using var config = TestConfigRepository.OnServer(environment, Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo"),
            forge == "AzureDevOps" ? $"{AzureDevOpsContract.Organization}/deploys/_git" : null);
        var tag = app.Head[..7];
        var head = $"gitops/{Repository}-{tag}";
        var state = new SimulatedRepository();
        state.Branches.Add(head);
        state.Branches.Add($"gitops/{Repository}-bbbbbbb");
        var (server, apiRoot, webUrl) = Start(forge, state, config.Url);
        using var _ = server;
        var main = config.Head;
        var properties = new[] { "-p:GitOpsPullRequest=true", $"-p:GitOpsForge={forge}", $"-p:GitOpsForgeApiUrl={apiRoot}" };
        // git keeps its own token; the forge's API gets GITOPS_FORGE_TOKEN.
        var variables = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken, ["GITOPS_FORGE_TOKEN"] = ForgeToken };

        var publish = app.PublishWithGitOps(environment, config.Url, variables, [.. properties, "-v:n"]);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        server.AssertHonoured();
        Assert.AreEqual(main, config.Head, "the base branch is untouched: the commit waits in the pull request");
        Assert.AreEqual(main, config.Parent(head), "one commit on the pull request's branch, on top of main");
        var pull = state.Pulls.Single();
        Assert.AreEqual(head, pull.Head);
        Assert.AreEqual("main", pull.Base);
        Assert.AreEqual($"Deploy {Repository}:{tag}", pull.Title);
        StringAssert.Contains(pull.Body, $"{environment.Registry}/{Repository}:{tag}");
        var url = webUrl(pull.Number);
        StringAssert.Contains(publish.StandardOutput, $"GitOps: opened pull request {url} from '{head}' into 'main'.");
        var result = app.Result().GetProperty("pullRequest");
        Assert.AreEqual(url, result.GetProperty("url").GetString());
        Assert.AreEqual(pull.Number, result.GetProperty("number").GetInt64());
        Assert.IsTrue(result.GetProperty("created").GetBoolean());

        // A later deploy to the same branch updates the pull request; it never opens a second one.
        var update = app.UpdateConfig(config.Url, variables, $"127.0.0.1:5000/{Repository}:bbbbbbb", [.. properties, $"-p:GitOpsConfigPushBranch={head}"]);
        Assert.IsTrue(update.Succeeded, update.ToString());
        server.AssertHonoured();
        Assert.AreEqual(1, state.Pulls.Count);
        Assert.AreEqual($"Deploy {Repository}:bbbbbbb", pull.Title);
        StringAssert.Contains(pull.Body, $"{environment.Registry}/{Repository}:bbbbbbb");
        StringAssert.Contains(update.StandardOutput, $"GitOps: updated pull request {url}");
        Assert.IsFalse(app.Result().GetProperty("pullRequest").GetProperty("created").GetBoolean());
        var tip = config.Sha(head);

        // A re-run that changes nothing commits nothing and opens nothing, but reports the open pull request.
        var rerun = app.UpdateConfig(config.Url, variables, $"127.0.0.1:5000/{Repository}:bbbbbbb", [.. properties, $"-p:GitOpsConfigPushBranch={head}", "-getProperty:GitOpsPullRequestUrl"]);
        Assert.IsTrue(rerun.Succeeded, rerun.ToString());
        server.AssertHonoured();
        Assert.AreEqual(1, state.Pulls.Count);
        Assert.AreEqual(tip, config.Sha(head));
        Assert.AreEqual(main, config.Head);
        StringAssert.Contains(rerun.StandardOutput, url);

        // The git token went to the git server only; the forge saw its own token on every call, and no log shows either.
        Assert.AreEqual(0, server.Unauthorized.Count, "every API call carried the forge token as the forge takes it");
        Assert.IsFalse(server.Requests.Any(r => r.Authorization?.Contains(environment.GitToken, StringComparison.Ordinal) == true));
        Assert.IsFalse((publish.ToString() + update + rerun).Contains(environment.GitToken, StringComparison.Ordinal));
    }

    [TestMethod]
    public void An_Azure_Pipelines_job_opens_the_pull_request_with_its_System_AccessToken_as_a_bearer_token()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment, Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo"),
            $"{AzureDevOpsContract.Organization}/deploys/_git");
        var head = $"gitops/{Repository}-{app.Head[..7]}";
        var state = new SimulatedRepository();
        state.Branches.Add(head);
        var (server, apiRoot, webUrl) = Start("AzureDevOps", state, config.Url);
        using var _ = server;
        // As a pipeline step runs it (docs/recipes.md): Azure hands a script the job's token only through env:, here
        // SYSTEM_ACCESSTOKEN: $(System.AccessToken) and GITOPS_FORGE_TOKEN: $(System.AccessToken); TF_BUILD marks the
        // agent. git keeps its own token: the config repository is this environment's git server, not Azure Repos.
        var variables = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["SYSTEM_ACCESSTOKEN"] = AzureDevOpsContract.PipelineToken,
            ["GITOPS_FORGE_TOKEN"] = AzureDevOpsContract.PipelineToken,
            ["GITOPS_TOKEN"] = environment.GitToken,
        };

        var publish = app.PublishWithGitOps(environment, config.Url, variables,
            "-p:GitOpsPullRequest=true", "-p:GitOpsForge=AzureDevOps", $"-p:GitOpsForgeApiUrl={apiRoot}", "-v:n");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        server.AssertHonoured();
        var pull = state.Pulls.Single();
        Assert.AreEqual(head, pull.Head);
        // What Azure documents for the job's token: "Authorization: Bearer $(System.AccessToken)" (a PAT goes as basic).
        Assert.IsTrue(server.Requests.Count >= 2, string.Join("\n", server.Requests));
        Assert.IsTrue(server.Requests.All(r => r.Authorization == "Bearer " + AzureDevOpsContract.PipelineToken),
            string.Join("\n", server.Requests.Select(r => $"{r}: {r.Authorization?.Split(' ')[0]}")));
        Assert.AreEqual(0, server.Unauthorized.Count);
        StringAssert.Contains(publish.StandardOutput, $"##vso[task.setvariable variable=GitOpsPullRequestUrl]{webUrl(pull.Number)}");
        Assert.IsFalse(publish.ToString().Contains(AzureDevOpsContract.PipelineToken, StringComparison.Ordinal), "the token is never printed");
    }

    /// <summary>The forge's contract server for the config repository's coordinates, its REST root, and its pull requests' web URLs.</summary>
    private static (ContractServer Server, Uri ApiRoot, Func<long, string> WebUrl) Start(string forge, SimulatedRepository state, string configUrl)
    {
        var segments = new Uri(configUrl).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = Path.GetFileNameWithoutExtension(segments[^1]);
        switch (forge)
        {
            case "GitLab":
            {
                // The whole namespace path: git/config-… on this server.
                var project = string.Join('/', segments[..^1]) + "/" + name;
                var (server, root) = GitLabContract.Start(state, project);
                return (server, root, n => $"https://gitlab.example.com/{project}/-/merge_requests/{n}");
            }
            case "AzureDevOps":
            {
                var (server, root) = AzureDevOpsContract.Start(state, segments[^3], name);
                return (server, root, n => $"https://dev.azure.com/{AzureDevOpsContract.Organization}/{segments[^3]}/_git/{name}/pullrequest/{n}");
            }
            case "Gitea":
            {
                var (server, root) = GiteaContract.Start(state, segments[^2], name);
                return (server, root, n => $"https://gitea.example.com/{segments[^2]}/{name}/pulls/{n}");
            }
            default:
            {
                var (server, root) = BitbucketContract.Start(state, segments[^2], name);
                return (server, root, n => $"https://bitbucket.org/{segments[^2]}/{name}/pull-requests/{n}");
            }
        }
    }
}
