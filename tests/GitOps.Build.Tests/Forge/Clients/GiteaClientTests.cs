using GitOps.Build.Forge;
using GitOps.Build.Forge.Gitea;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Clients;

/// <summary>GiteaClient against Gitea's contract (Descriptions/gitea.json), under /api/v1.</summary>
[TestClass]
public sealed class GiteaClientTests : ForgeClientContractTests
{
    internal override ForgeKind Kind => ForgeKind.Gitea;

    internal override string CreateOperation => "repoCreatePullRequest";

    internal override string ListOperation => "repoListPullRequests";

    internal override int ValidationStatus => 422;

    internal override string Reviewer => "alice";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => GiteaContract.Start(state, "team", "config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.Gitea, apiRoot, "team", null, "config", "https://gitea.example.com/team/config.git");


    internal override bool IsDraft(SimulatedPull pull) => pull.Title.StartsWith("WIP: ", StringComparison.Ordinal);

    [TestMethod]
    public Task A_409_at_create_updates_the_pull_request_another_run_opened() => AssertAConflictAtCreateUpdatesTheExistingPullRequest();

    [TestMethod]
    public Task Auto_merge_is_a_merge_scheduled_for_when_checks_succeed() => AssertAutoMergeIsEnabled(MergeMethod.Squash, "squash");

    [TestMethod]
    public Task A_repository_that_refuses_the_scheduled_merge_is_the_disabled_outcome() => AssertDisallowedAutoMergeIsDisabled();

    [TestMethod]
    public async Task Labels_are_set_by_id_keeping_those_added_by_hand_and_an_unknown_one_is_a_warning()
    {
        var client = Ready();
        var opened = await client.OpenPullRequestAsync(Spec(labels: ["deploy", "no-such-label"]), CancellationToken.None);
        State.Pulls.Single().Labels.Add("gitops");

        await client.UpdatePullRequestAsync(opened, Spec(labels: ["deploy"]), CancellationToken.None);

        CollectionAssert.AreEquivalent(new[] { "deploy", "gitops" }, State.Pulls.Single().Labels);
        Assert.IsTrue(Log.Important.Any(line => line.Contains("GITOPS079", StringComparison.Ordinal) && line.Contains("no-such-label", StringComparison.Ordinal)),
            string.Join("\n", Log.Important));
        Server.AssertHonoured();
    }
}
