using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>GitOpsCommitMethod=api on Gitea (and Forgejo), against Gitea's contract (Descriptions/gitea.json, under /api/v1).</summary>
[TestClass]
public sealed class GiteaApiCommitTests : ForgeApiCommitContractTests
{
    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state, SimulatedGitStore git) => GiteaContract.Start(state, "team", "config", git);

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.Gitea, apiRoot, "team", null, "config", "https://gitea.example.com/team/config.git");

    internal override string WriteOperation => "repoChangeFiles";

    internal override string TipOperation => "repoGetBranch";

    // The branch, the trees on the manifest's path (root, apps, apps/web), its blob, the write.
    internal override string[] SingleManifestCalls => ["repoGetBranch", "GetTree", "GetTree", "GetTree", "GetBlob", "repoChangeFiles", "repoGetBranch"];

    [TestMethod]
    public void One_write_sends_each_file_as_an_update_guarded_by_the_sha_it_was_read_at()
    {
        var read = Git.Find(Git.Commit(Git.Tip("main")!)!.Tree, Manifest)!.Id;

        Deployer().Deploy(Request());

        var sent = GiteaContract.ChangeRequests(Server).Single();
        var file = sent["files"]!.AsArray().Single()!;
        Assert.AreEqual("update", (string?)file["operation"]);
        Assert.AreEqual(Manifest, (string?)file["path"]);
        Assert.AreEqual(read, (string?)file["sha"]);
        Assert.AreEqual("main", (string?)sent["branch"]);
        Assert.IsNull(sent["new_branch"]);
        Assert.IsNull(sent["force_push"], "never forced");
        Assert.AreEqual("Bot", (string?)sent["author"]!["name"]);
    }

    [TestMethod]
    public void A_push_that_changed_only_other_files_meanwhile_is_kept_under_the_commit_as_Gitea_guards_the_files_written()
    {
        var other = "";
        Git.BeforeRefUpdate = branch =>
        {
            if (other.Length == 0) other = PushByOthers(branch, touchManifest: false);
        };

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(1, result.Attempts);
        Assert.AreEqual(other, Git.Commit(result.CommitSha!)!.Parents.Single());
        StringAssert.Contains(Git.ReadText("main", Api), "api:ffff000", "the other push is kept");
        StringAssert.Contains(Git.ReadText("main", Manifest), New);
    }

    [TestMethod]
    public void A_new_pull_request_branch_is_made_from_the_base_branch_by_name()
    {
        Deployer().Deploy(Request() with { PushBranchTemplate = "gitops/team-web-{Tag}" });

        var sent = GiteaContract.ChangeRequests(Server).Single();
        Assert.AreEqual("main", (string?)sent["branch"]);
        Assert.AreEqual("gitops/team-web-a1b2c3d", (string?)sent["new_branch"]);
    }

    [TestMethod]
    public void A_refusal_while_the_branch_stayed_put_is_GITOPS128_not_a_race()
    {
        Server.Fail("repoChangeFiles", ContractResponse.Error(422, "file path is protected"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer().Deploy(Request()));

        Assert.AreEqual("GITOPS128", error.Code);
        StringAssert.Contains(error.Message, "file path is protected");
        Assert.AreEqual(1, Server.RequestsTo("repoChangeFiles").Count());
    }
}
