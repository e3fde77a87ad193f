using GitOps.Build.Forge;
using GitOps.Build.Forge.GitLab;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Clients;

/// <summary>GitLabClient against GitLab's contract (Descriptions/gitlab.json), for a project in a subgroup.</summary>
[TestClass]
public sealed class GitLabClientTests : ForgeClientContractTests
{
    private const string ProjectPath = "team/platform/config";

    internal override ForgeKind Kind => ForgeKind.GitLab;

    internal override string CreateOperation => "postApiV4ProjectsIdMergeRequests";

    internal override string ListOperation => "getApiV4ProjectsIdMergeRequests";

    internal override int ValidationStatus => 422;

    internal override string Reviewer => "42";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => GitLabContract.Start(state, ProjectPath);

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.GitLab, apiRoot, "team/platform", null, "config", "https://gitlab.example.com/team/platform/config.git");


    internal override bool IsDraft(SimulatedPull pull) => pull.Title.StartsWith("Draft: ", StringComparison.Ordinal);

    // The vendored description has no notes operation: the closing comment ends the description.
    internal override string CommentOf(SimulatedPull pull) => pull.Body;

    [TestMethod]
    public Task A_409_at_create_updates_the_merge_request_another_run_opened() => AssertAConflictAtCreateUpdatesTheExistingPullRequest();

    [TestMethod]
    public Task Auto_merge_is_merge_when_the_pipeline_succeeds_with_squash_when_asked() => AssertAutoMergeIsEnabled(MergeMethod.Squash, "squash");

    [TestMethod]
    public Task A_project_that_refuses_auto_merge_is_the_disabled_outcome() => AssertDisallowedAutoMergeIsDisabled();

    [TestMethod]
    public async Task The_project_is_addressed_by_its_URL_encoded_namespace_path_and_branches_by_one_segment()
    {
        var client = Ready();

        await client.CheckAccessAsync("main", CancellationToken.None);
        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);
        await client.ClosePullRequestAsync(opened, "superseded", CancellationToken.None);

        Assert.IsTrue(Server.Requests.All(r => r.RawUrl.StartsWith("/api/v4/projects/team%2Fplatform%2Fconfig/", StringComparison.Ordinal)),
            string.Join("\n", Server.Requests));
        Assert.IsTrue(Server.Requests.Any(r => r.RawUrl.EndsWith("/repository/branches/gitops%2Fweb-a1b2c3d", StringComparison.Ordinal)));
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_reviewer_named_not_by_id_is_a_warning_and_the_merge_request_is_still_opened()
    {
        var client = Ready();

        var opened = await client.OpenPullRequestAsync(Spec(reviewers: ["alice", "42"]), CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "42" }, State.Pulls.Single().Reviewers);
        Assert.IsTrue(Log.Important.Any(line => line.Contains("GITOPS079", StringComparison.Ordinal) && line.Contains("alice", StringComparison.Ordinal)),
            string.Join("\n", Log.Important));
        StringAssert.Contains(opened.Url, "/-/merge_requests/");
        Server.AssertHonoured();
    }
}
