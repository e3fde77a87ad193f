using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Tests.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Deploy;

/// <summary>The forge half of a deploy (update or open, supersede, auto-merge) through the GitHub client and its contract server.</summary>
[TestClass]
public sealed class PullRequestStepTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static PullRequestOptions Options(bool supersede = false, bool autoMerge = false) =>
        new(null, null, null, [], false, [], autoMerge, MergeMethod.Squash, supersede);

    private static DeploymentOutcome Outcome(string image, params string[] files) =>
        new(image, "sha256:" + new string('1', 64), new string('a', 40), "https://github.com/team/web.git", "https://ci.example/run/7",
            "https://github.example/team/config.git", "gitops/x", new string('c', 40), false, files, "--- a/x\n+++ b/x\n", null);

    private static string Body(DeploymentOutcome outcome) => PullRequestBody.Render(outcome, [], "main");

    [TestMethod]
    public void Supersede_closes_only_this_products_older_pull_requests_for_the_same_images_and_manifests()
    {
        using var contract = new GitHubContract { AnyHeadExists = true };
        var older = contract.Seed("gitops/team/web-1111111", "main", "old", Body(Outcome("registry.example.com/team/web:1111111", "apps/web.yaml")));
        var otherImage = contract.Seed("gitops/team/api-2222222", "main", "api", Body(Outcome("registry.example.com/team/api:2222222", "apps/web.yaml")));
        var otherFiles = contract.Seed("gitops/team/web-3333333", "main", "staging", Body(Outcome("registry.example.com/team/web:3333333", "apps/staging.yaml")));
        var byHand = contract.Seed("feature/web", "main", "a person's", Body(Outcome("registry.example.com/team/web:4444444", "apps/web.yaml")));
        var log = new ListLog();
        using var step = new PullRequestStep(new GitHubForgeClient(GitHubForgeClientTests.Http(contract)), Options(supersede: true), log);
        step.Prepare("main", None);

        var outcome = Outcome("registry.example.com/team/web:5555555", "apps/web.yaml");
        var report = step.Publish("gitops/team/web-5555555", "Deploy team/web:5555555", Body(outcome), outcome, committed: true, None)!;

        contract.AssertHonoured();
        Assert.IsTrue(report.Created);
        Assert.AreEqual("closed", (string?)older["state"]);
        StringAssert.Contains(contract.Comments[(long)older["number"]!].Single(), report.Url);
        CollectionAssert.AreEqual(new[] { "gitops/team/web-1111111" }, contract.DeletedBranches);
        foreach (var kept in new[] { otherImage, otherFiles, byHand })
            Assert.AreEqual("open", (string?)kept["state"], (string?)kept["title"]);
    }

    [TestMethod]
    public void A_rerun_with_an_open_pull_request_updates_it_and_one_without_changes_only_reports_it()
    {
        using var contract = new GitHubContract();
        var open = contract.Seed("gitops/x", "main", "old", "old");
        using var step = new PullRequestStep(new GitHubForgeClient(GitHubForgeClientTests.Http(contract)), Options(), NullBuildLog.Instance);
        step.Prepare(null, None);
        var outcome = Outcome("r/team/web:5555555", "apps/web.yaml");

        var updated = step.Publish("gitops/x", "new", Body(outcome), outcome, committed: true, None)!;
        var reported = step.Publish("gitops/x", "newer", "ignored", outcome, committed: false, None)!;

        contract.AssertHonoured();
        Assert.AreEqual(1, contract.PullRequests.Count);
        Assert.IsFalse(updated.Created);
        Assert.AreEqual("new", (string?)open["title"], "a run without changes does not rewrite the pull request");
        Assert.AreEqual(updated, reported);
    }

    [TestMethod]
    public void Auto_merge_disabled_on_the_repository_is_warning_GITOPS078_and_the_pull_request_stays_open()
    {
        using var contract = new GitHubContract { AnyHeadExists = true, AllowAutoMerge = false };
        var log = new ListLog();
        using var step = new PullRequestStep(new GitHubForgeClient(GitHubForgeClientTests.Http(contract)), Options(autoMerge: true), log);
        step.Prepare("main", None);
        var outcome = Outcome("r/team/web:5555555", "apps/web.yaml");

        var report = step.Publish("gitops/x", "t", Body(outcome), outcome, committed: true, None)!;

        Assert.AreEqual("open", (string?)contract.PullRequests[report.Number]["state"]);
        StringAssert.Contains(log.Warnings.Single(), "GITOPS078");
        StringAssert.Contains(log.Warnings.Single(), "not allowed");
    }

    [TestMethod]
    public void Auto_merge_asks_GitHub_with_the_merge_method()
    {
        using var contract = new GitHubContract { AnyHeadExists = true };
        using var step = new PullRequestStep(new GitHubForgeClient(GitHubForgeClientTests.Http(contract)), Options(autoMerge: true), NullBuildLog.Instance);
        step.Prepare("main", None);
        var outcome = Outcome("r/team/web:5555555", "apps/web.yaml");

        var report = step.Publish("gitops/x", "t", Body(outcome), outcome, committed: true, None)!;

        contract.AssertHonoured();
        Assert.AreEqual("SQUASH", contract.AutoMerge[report.Number]);
    }

    [TestMethod]
    public void A_pull_request_that_cannot_be_opened_after_the_push_is_GITOPS131_naming_the_branch_and_commit()
    {
        using var contract = new GitHubContract { AnyHeadExists = true };
        contract.Server.Fail("pulls/create", ContractResponse.Error(403, "Resource not accessible by integration",
            new Dictionary<string, string> { ["X-Accepted-GitHub-Permissions"] = "pull_requests=write" }));
        using var step = new PullRequestStep(new GitHubForgeClient(GitHubForgeClientTests.Http(contract)), Options(), NullBuildLog.Instance);
        step.Prepare("main", None);
        var outcome = Outcome("r/team/web:5555555", "apps/web.yaml");

        var error = Assert.ThrowsExactly<GitOpsException>(() => step.Publish("gitops/x", "t", Body(outcome), outcome, committed: true, None));

        Assert.AreEqual("GITOPS131", error.Code);
        StringAssert.Contains(error.Message, "'gitops/x'");
        StringAssert.Contains(error.Message, new string('c', 40));
        StringAssert.Contains(error.Message, "pull_requests=write");
    }

    [TestMethod]
    public void Auto_merge_on_Bitbucket_is_refused_before_anything_is_pushed()
    {
        using var contract = new GitHubContract();
        var client = new GitHubForgeClient(new ForgeHttp(
            new ForgeRepository(ForgeKind.Bitbucket, contract.Server.ApiRoot, "ws", null, "config", "https://bitbucket.org/ws/config.git"),
            new ForgeCredentials("t", "GITOPS_TOKEN"), GitOps.Build.ConfigRepo.Http.HttpTransportSettings.Direct,
            new GitOps.Build.ConfigRepo.Deadline(TimeSpan.FromSeconds(10), None), NullBuildLog.Instance));
        using var step = new PullRequestStep(client, Options(autoMerge: true), NullBuildLog.Instance);

        Assert.AreEqual("GITOPS132", Assert.ThrowsExactly<GitOpsException>(() => step.Prepare("main", None)).Code);
        Assert.AreEqual(0, contract.Server.Requests.Count);
    }

    private sealed class ListLog : IBuildLog
    {
        public List<string> Warnings { get; } = [];
        public void Important(string message) { }
        public void Detail(string message) { }
        public void Warning(GitOpsError warning, params object?[] args) => Warnings.Add(warning.Code + ": " + warning.Format(args));
    }
}
