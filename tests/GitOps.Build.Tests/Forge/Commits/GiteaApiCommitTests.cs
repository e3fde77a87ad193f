using GitOps.Build.Forge;
using GitOps.Build.Forge.Gitea;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>GitOpsCommitMethod=api on Gitea (and Forgejo) against its contract (Descriptions/gitea.json, under /api/v1).</summary>
[TestClass]
public sealed class GiteaApiCommitTests : ForgeApiCommitTests
{
    internal override ForgeKind Kind => ForgeKind.Gitea;

    internal override string Token => "good";

    internal override string WriteOperation => "repoChangeFiles";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => GiteaContract.Start(state, "team", "config");

    internal override IForgeCommits Commits(ForgeHttp http) => new GiteaCommits(http);

    [TestMethod]
    public void One_write_sends_each_file_as_an_update_guarded_by_the_sha_it_was_read_at()
    {
        var read = Git.Find(Git.Commit(Git.Tip("main")!)!.Tree, Manifest)!.Id;

        Deployer().Deploy(Request(New));

        var sent = GiteaContract.ChangeRequests(Server).Single();
        var file = sent["files"]!.AsArray().Single()!;
        Assert.AreEqual("update", (string?)file["operation"]);
        Assert.AreEqual(Manifest, (string?)file["path"]);
        Assert.AreEqual(read, (string?)file["sha"]);
        Assert.AreEqual("main", (string?)sent["branch"]);
        Assert.IsNull(sent["new_branch"]);
        Assert.IsNull(sent["force_push"], "never forced");
        Assert.AreEqual("Bot", (string?)sent["author"]!["name"]);
        // The branch, the trees on the manifest's path, its blob, the write: no listing of anything else.
        CollectionAssert.AreEqual(new[] { "repoGetBranch", "GetTree", "GetTree", "GetTree", "GetBlob", "repoChangeFiles" },
            Server.Requests.Select(r => r.Operation?.OperationId).ToArray());
    }

    [TestMethod]
    public void A_push_that_changed_other_files_meanwhile_is_kept_under_the_commit_as_gitea_guards_only_the_files_written()
    {
        AnotherPipelineChanges("apps/api/deployment.yaml", "api:0000001", "api:ffff000");

        var (result, _) = Deployer().Deploy(Request(New));

        Server.AssertHonoured();
        Assert.AreEqual(1, result.Attempts);
        Assert.AreEqual(result.CommitSha, Git.Tip("main"));
        Assert.AreEqual("Another pipeline", Git.Commit(Git.Commit(result.CommitSha!)!.Parents.Single())!.Message);
        StringAssert.Contains(Git.ReadText("main", "apps/api/deployment.yaml"), "api:ffff000");
        StringAssert.Contains(Git.ReadText("main", Manifest), New);
    }

    [TestMethod]
    public void A_new_push_branch_is_made_from_the_base_branch_by_name()
    {
        Deployer().Deploy(Request(New) with { PushBranchTemplate = "gitops/team-web-{Tag}" });

        var sent = GiteaContract.ChangeRequests(Server).Single();
        Assert.AreEqual("main", (string?)sent["branch"]);
        Assert.AreEqual("gitops/team-web-a1b2c3d", (string?)sent["new_branch"]);
    }

    [TestMethod]
    public void A_refusal_while_the_branch_stayed_put_is_GITOPS128_not_a_race()
    {
        Server.Fail("repoChangeFiles", ContractResponse.Error(422, "file path is protected"));

        var error = Assert.ThrowsExactly<GitOps.Build.Diagnostics.GitOpsException>(() => Deployer().Deploy(Request(New)));

        Assert.AreEqual("GITOPS128", error.Code);
        StringAssert.Contains(error.Message, "file path is protected");
        Assert.AreEqual(1, Server.RequestsTo("repoChangeFiles").Count());
    }
}
