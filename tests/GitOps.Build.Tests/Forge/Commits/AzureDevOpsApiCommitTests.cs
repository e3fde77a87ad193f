using System.Text.Json.Nodes;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>GitOpsCommitMethod=api on Azure DevOps, against its contract (Descriptions/azure-devops-git.json), for a project with a space in its name.</summary>
[TestClass]
public sealed class AzureDevOpsApiCommitTests : ForgeApiCommitContractTests
{
    private const string Project = "Fabrikam Fiber";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state, SimulatedGitStore git) => AzureDevOpsContract.Start(state, Project, "config", git);

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.AzureDevOps, apiRoot, AzureDevOpsContract.Organization, Project, "config", "https://dev.azure.com/contoso/Fabrikam%20Fiber/_git/config");

    internal override string WriteOperation => "Pushes_Create";

    internal override string TipOperation => "Refs_List";

    // The push's answer names the branch (refUpdates[].newObjectId): a dropped update shows there.
    internal override string DroppedUpdateCode => Errors.ApiCommitNotApplied.Code;

    internal override string[] SingleManifestCalls =>
        ["Repositories_Get Repository", "Refs_List", "Commits_Get", "Items_List", "Blobs_Get Blob", "Pushes_Create"];

    [TestMethod]
    public void The_push_names_the_tip_read_as_oldObjectId_and_carries_the_bytes_in_base64()
    {
        var tip = Git.Tip("main");

        Deployer().Deploy(Request());

        var body = Server.RequestsTo(WriteOperation).Single().Json!;
        var update = body["refUpdates"]!.AsArray().Single()!;
        Assert.AreEqual("refs/heads/main", (string?)update["name"]);
        Assert.AreEqual(tip, (string?)update["oldObjectId"]);
        var commit = body["commits"]!.AsArray().Single()!;
        Assert.AreEqual(tip, (string?)commit["parents"]!.AsArray().Single());
        var change = commit["changes"]!.AsArray().Single()!;
        Assert.AreEqual("edit", (string?)change["changeType"]);
        Assert.AreEqual("/" + Manifest, (string?)change["item"]!["path"]);
        Assert.AreEqual("base64Encoded", (string?)change["newContent"]!["contentType"]);
        Assert.AreEqual("Bot", (string?)commit["author"]!["name"]);
    }

    [TestMethod]
    public void A_branch_moved_by_any_commit_is_a_lost_race()
    {
        // Azure DevOps guards the branch itself: a move by other files is refused too, and the change re-applied.
        var other = "";
        Git.BeforeRefUpdate = branch =>
        {
            if (other.Length == 0)
                other = Git.CommitText(branch, new Dictionary<string, string> { [Api] = "moved\n" }, "Unrelated");
        };

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(other, Git.Commit(result.CommitSha!)!.Parents.Single());
        Assert.AreEqual(2, Server.RequestsTo(WriteOperation).Count());
    }

    [TestMethod]
    public void A_pull_request_branch_is_pushed_from_the_zero_id()
    {
        Deployer().Deploy(Request() with { PushBranchTemplate = "gitops/team-web-{Tag}" });

        var update = Server.RequestsTo(WriteOperation).Single().Json!["refUpdates"]!.AsArray().Single()!;
        Assert.AreEqual("refs/heads/gitops/team-web-a1b2c3d", (string?)update["name"]);
        Assert.AreEqual(new string('0', 40), (string?)update["oldObjectId"]);
    }

    [TestMethod]
    public void A_wrapped_collection_answer_is_read_as_the_service_sends_it()
    {
        // git.json describes the items answer as the bare array; the service wraps it in {count, value}.
        var tip = Git.Tip("main")!;
        var item = new JsonObject
        {
            ["objectId"] = Git.Find(Git.Commit(tip)!.Tree, Manifest)!.Id, ["gitObjectType"] = "blob", ["commitId"] = tip, ["path"] = "/" + Manifest,
        };
        Server.Fail("Items_List", new ContractResponse(200, new JsonObject { ["count"] = 1, ["value"] = new JsonArray(item) }));

        var (result, _) = Deployer().Deploy(Request());

        StringAssert.Contains(Git.ReadText("main", Manifest), New);
        Assert.IsNotNull(result.CommitSha);
    }

    [TestMethod]
    public void A_refusal_while_the_branch_stays_put_is_GITOPS128_with_the_services_message()
    {
        Server.Fail(WriteOperation, new ContractResponse(400, new JsonObject { ["message"] = "TF401174: The item '/apps/web/deployment.yaml' could not be found." }), count: 10);

        var error = Assert.ThrowsExactly<GitOps.Build.Diagnostics.GitOpsException>(() => Deployer().Deploy(Request()));

        Assert.AreEqual("GITOPS128", error.Code);
        StringAssert.Contains(error.Message, "TF401174");
        Assert.AreEqual(1, Server.RequestsTo(WriteOperation).Count(), "not retried: the branch did not move");
    }
}
