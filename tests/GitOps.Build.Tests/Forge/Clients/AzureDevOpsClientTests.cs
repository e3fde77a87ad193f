using GitOps.Build.Forge;
using GitOps.Build.Forge.AzureDevOps;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Clients;

/// <summary>AzureDevOpsClient against Azure DevOps' contract (Descriptions/azure-devops-git.json), for a project whose name has a space.</summary>
[TestClass]
public sealed class AzureDevOpsClientTests : ForgeClientContractTests
{
    private const string Project = "Fabrikam Fiber";

    internal override ForgeKind Kind => ForgeKind.AzureDevOps;

    internal override string CreateOperation => "Pull Requests_Create";

    internal override string ListOperation => "Pull Requests_Get Pull Requests";

    internal override int ValidationStatus => 400;

    internal override string Reviewer => "3b6b7d2c-2f57-4e51-9b5a-8c3c0e0d1a11";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => AzureDevOpsContract.Start(state, Project, "config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.AzureDevOps, apiRoot, AzureDevOpsContract.Organization, Project, "config", "https://dev.azure.com/contoso/Fabrikam%20Fiber/_git/config");


    internal override bool IsDraft(SimulatedPull pull) => pull.Draft;

    [TestMethod]
    public Task A_409_at_create_updates_the_pull_request_another_run_opened() => AssertAConflictAtCreateUpdatesTheExistingPullRequest();

    [TestMethod]
    public Task Auto_complete_is_set_by_the_creator_with_the_merge_strategy() => AssertAutoMergeIsEnabled(MergeMethod.Rebase, "rebase");

    [TestMethod]
    public Task A_policy_that_refuses_auto_complete_is_the_disabled_outcome() => AssertDisallowedAutoMergeIsDisabled();

    [TestMethod]
    public async Task The_repository_id_is_resolved_once_and_branches_are_full_ref_names()
    {
        var client = Ready();

        await client.CheckAccessAsync("main", CancellationToken.None);
        await client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None);
        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);

        Assert.AreEqual(1, Server.RequestsTo("Repositories_Get Repository").Count());
        Assert.AreEqual("config", Server.RequestsTo("Repositories_Get Repository").Single().PathValues["repositoryId"]);
        Assert.IsTrue(Server.RequestsTo("Pull Requests_Create").All(r => r.PathValues["repositoryId"] == AzureDevOpsContract.RepositoryId));
        Assert.AreEqual("refs/heads/" + Head, Server.RequestsTo("Pull Requests_Get Pull Requests").First().QueryValue("searchCriteria.sourceRefName"));
        Assert.IsTrue(Server.Requests.All(r => r.QueryValue("api-version") == "7.1"));
        Assert.AreEqual($"https://dev.azure.com/contoso/Fabrikam%20Fiber/_git/config/pullrequest/{opened.Number}", opened.Url);
        Server.AssertHonoured();
    }

    [TestMethod]
    public async Task A_description_over_the_4000_characters_Azure_DevOps_takes_is_cut()
    {
        var client = Ready();

        await client.OpenPullRequestAsync(Spec(body: new string('x', 5000)), CancellationToken.None);

        Assert.AreEqual(AzureDevOpsClient.DescriptionLimit, State.Pulls.Single().Body.Length);
        Server.AssertHonoured();
    }

    [TestMethod]
    public void The_cut_keeps_the_closing_hidden_block_whole()
    {
        var block = "<!-- GitOps.Build deploy\nGitOps-Image: registry.example.com/team/web:a1b2c3d\n-->\n";

        var cut = AzureDevOpsClient.Description("Deploys.\n\n" + new string('x', 6000) + "\n" + block);

        Assert.AreEqual(AzureDevOpsClient.DescriptionLimit, cut.Length);
        StringAssert.StartsWith(cut, "Deploys.");
        StringAssert.EndsWith(cut, block);
    }

    [TestMethod]
    public async Task The_answer_wrapped_as_the_service_sends_it_is_read_too()
    {
        var client = Ready();
        State.Open(Head, "main", "Deploy", "body");
        Server.Fail(ListOperation, ContractResponse.Json(System.Net.HttpStatusCode.OK, new System.Text.Json.Nodes.JsonObject
        {
            ["count"] = 1,
            ["value"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["pullRequestId"] = 1, ["title"] = "Deploy", ["sourceRefName"] = "refs/heads/" + Head, ["targetRefName"] = "refs/heads/main", ["status"] = "active",
            }),
        }));

        var found = await client.FindOpenPullRequestAsync(Head, "main", CancellationToken.None);

        Assert.AreEqual(1, found?.Number);
    }
}
