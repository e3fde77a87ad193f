using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>GitOpsCommitMethod=api on GitLab, against GitLab's contract (Descriptions/gitlab.json), for a project in a subgroup.</summary>
[TestClass]
public sealed class GitLabApiCommitTests : ForgeApiCommitContractTests
{
    private const string ProjectPath = "team/platform/config";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state, SimulatedGitStore git) => GitLabContract.Start(state, ProjectPath, git);

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.GitLab, apiRoot, "team/platform", null, "config", "https://gitlab.example.com/team/platform/config.git");

    internal override string WriteOperation => "postApiV4ProjectsIdRepositoryCommits";

    internal override string TipOperation => "getApiV4ProjectsIdRepositoryBranchesBranch";

    internal override string[] SingleManifestCalls =>
        ["getApiV4ProjectsIdRepositoryBranchesBranch", "getApiV4ProjectsIdRepositoryTree", "getApiV4ProjectsIdRepositoryBlobsShaRaw", "postApiV4ProjectsIdRepositoryCommits",
            // The answer names the commit, not the branch: the branch read again holds it (issue 20).
            "getApiV4ProjectsIdRepositoryBranchesBranch"];

    [TestMethod]
    public void Each_update_is_guarded_by_the_tip_read_and_carries_the_bytes_in_base64()
    {
        var tip = Git.Tip("main");

        Deployer().Deploy(Request());

        var body = Server.RequestsTo(WriteOperation).Single().Json!;
        Assert.AreEqual("main", (string?)body["branch"]);
        Assert.IsNull(body["start_sha"], "an existing branch is committed into, not started");
        var action = body["actions"]!.AsArray().Single()!;
        Assert.AreEqual("update", (string?)action["action"]);
        Assert.AreEqual(Manifest, (string?)action["file_path"]);
        Assert.AreEqual("base64", (string?)action["encoding"]);
        Assert.AreEqual(tip, (string?)action["last_commit_id"]);
        Assert.AreEqual("Bot", (string?)body["author_name"]);
        Assert.IsTrue(Server.Requests.All(r => r.RawUrl.StartsWith("/api/v4/projects/team%2Fplatform%2Fconfig/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_branch_moved_only_by_other_files_takes_the_commit_on_top_in_one_round()
    {
        // GitLab guards the files written, not the branch: the commit lands on the new tip, the tree re-applying would give.
        var other = "";
        Git.BeforeRefUpdate = branch =>
        {
            if (other.Length == 0)
                other = Git.CommitText(branch, new Dictionary<string, string> { [Api] = "moved\n" }, "Unrelated");
        };

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(1, result.Attempts);
        Assert.AreEqual(other, Git.Commit(result.CommitSha!)!.Parents.Single());
        Assert.AreEqual("moved\n", Git.ReadText("main", Api));
        StringAssert.Contains(Git.ReadText("main", Manifest), New);
        Assert.IsTrue(Log.Detail.Any(l => l.Contains("GitLab made the commit on top", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_pull_request_branch_starts_at_the_tip_read()
    {
        var tip = Git.Tip("main");

        Deployer().Deploy(Request() with { PushBranchTemplate = "gitops/team-web-{Tag}" });

        var body = Server.RequestsTo(WriteOperation).Single().Json!;
        Assert.AreEqual("gitops/team-web-a1b2c3d", (string?)body["branch"]);
        Assert.AreEqual(tip, (string?)body["start_sha"]);
    }

    [TestMethod]
    public void A_refusal_while_the_branch_stays_put_is_GITOPS128_with_GitLabs_message()
    {
        Server.Fail(WriteOperation, ContractResponse.Error(400, "A file with this name doesn't exist"), count: 10);

        var error = Assert.ThrowsExactly<GitOps.Build.Diagnostics.GitOpsException>(() => Deployer().Deploy(Request()));

        Assert.AreEqual("GITOPS128", error.Code);
        StringAssert.Contains(error.Message, "A file with this name doesn't exist");
        Assert.AreEqual(1, Server.RequestsTo(WriteOperation).Count(), "not retried: the branch did not move");
    }
}
