using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.Bitbucket;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Clients;

/// <summary>BitbucketClient against Bitbucket Cloud's contract (Descriptions/bitbucket.json), under /2.0.</summary>
[TestClass]
public sealed class BitbucketClientTests : ForgeClientContractTests
{
    internal override ForgeKind Kind => ForgeKind.Bitbucket;

    internal override string CreateOperation => "POST /repositories/{workspace}/{repo_slug}/pullrequests";

    internal override string ListOperation => "GET /repositories/{workspace}/{repo_slug}/pullrequests";

    internal override int ValidationStatus => 400;

    internal override string Reviewer => "{504c3b62-8120-4f0c-a7bc-87800b9d6f70}";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => BitbucketContract.Start(state, "team", "config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.Bitbucket, apiRoot, "team", null, "config", "https://bitbucket.org/team/config.git");


    internal override bool IsDraft(SimulatedPull pull) => pull.Draft;

    internal override bool HasLabels => false;

    // Bitbucket's error answers are {"type": "error", "error": {"message": …}}, as its error schema requires.
    internal override ContractResponse ErrorAnswer(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new System.Text.Json.Nodes.JsonObject { ["type"] = "error", ["error"] = new System.Text.Json.Nodes.JsonObject { ["message"] = message } }, headers);

    [TestMethod]
    public async Task Auto_merge_is_refused_with_GITOPS132_and_the_pull_request_stays_open()
    {
        var client = Ready();
        var opened = await client.OpenPullRequestAsync(Spec(), CancellationToken.None);

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => client.EnableAutoMergeAsync(opened, MergeMethod.Merge, CancellationToken.None));

        Assert.AreEqual("GITOPS132", error.Code);
        StringAssert.Contains(error.Message, "Bitbucket");
        Assert.IsTrue(State.Pulls.Single().IsOpen);
        Assert.IsFalse(Server.Requests.Any(r => r.Path.EndsWith("/merge", StringComparison.Ordinal)));
        Server.AssertHonoured();
    }
}
