using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>
/// GitOpsCommitMethod=api on Bitbucket Cloud, against Bitbucket's contract (Descriptions/bitbucket.json, under /2.0),
/// which holds the form POST to src to the description's form fields.
/// </summary>
[TestClass]
public sealed class BitbucketApiCommitTests : ForgeApiCommitContractTests
{
    private const string Src = "POST /repositories/{workspace}/{repo_slug}/src";
    private const string Read = "GET /repositories/{workspace}/{repo_slug}/src/{commit}/{path}";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state, SimulatedGitStore git) =>
        BitbucketContract.Start(state, "team", "config", git);

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.Bitbucket, apiRoot, "team", null, "config", "https://bitbucket.org/team/config.git");

    internal override string WriteOperation => Src;

    internal override string TipOperation => "GET /repositories/{workspace}/{repo_slug}/refs/branches/{name}";

    // The branch, the manifest's directory listing, its bytes, the commit, the branch again (the answer names only the commit).
    internal override string[] SingleManifestCalls => [TipOperation, Read, Read, Src, TipOperation];

    [TestMethod]
    public void One_form_post_sends_the_file_as_bytes_with_the_branch_and_the_tip_read_as_parents()
    {
        var tip = Git.Tip("main");

        var (result, _) = Deployer().Deploy(Request());

        var post = Server.RequestsTo(Src).Single();
        StringAssert.StartsWith(post.Headers["Content-Type"], "multipart/form-data");
        var form = post.Form;
        Assert.AreEqual("main", form.Single(f => f.Name == "branch").Text);
        Assert.AreEqual(tip, form.Single(f => f.Name == "parents").Text);
        Assert.AreEqual("Bot <bot@example.com>", form.Single(f => f.Name == "author").Text);
        StringAssert.StartsWith(form.Single(f => f.Name == "message").Text, "Deploy team/web:a1b2c3d");
        var file = form.Single(f => f.IsFile);
        Assert.AreEqual(Manifest, file.Name);
        CollectionAssert.AreEqual(Git.Read("main", Manifest), file.Content, "the bytes as committed");
        Assert.AreEqual(result.CommitSha, Git.Tip("main"), "the commit named by the answer's Location");
    }

    [TestMethod]
    public void Without_the_Location_the_commit_is_the_branch_tip_holding_its_message()
    {
        Git.OmitsCommitLocation = true;
        var tip = Git.Tip("main");

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(Git.Tip("main"), result.CommitSha);
        Assert.AreEqual(tip, Git.Commit(result.CommitSha!)!.Parents.Single());
    }

    [TestMethod]
    public void Without_the_Location_a_branch_still_at_the_parent_is_GITOPS148_not_the_parent_taken_for_the_commit()
    {
        // Before (issue 20): the tip read in place of the missing Location was taken for the new commit, whatever it was.
        Git.OmitsCommitLocation = true;
        Git.DropsRefUpdates = true;
        var tip = Git.Tip("main");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer().Deploy(Request()));

        Assert.AreEqual(Errors.ApiCommitOutcomeUnknown.Code, error.Code, error.Message);
        Assert.AreEqual(tip, Git.Tip("main"));
        Assert.AreEqual(1, Server.RequestsTo(Src).Count());
    }

    [TestMethod]
    public void A_push_to_any_file_meanwhile_is_a_409_and_the_change_is_re_applied_on_the_new_tip()
    {
        var other = "";
        Git.BeforeRefUpdate = branch =>
        {
            if (other.Length == 0) other = PushByOthers(branch, touchManifest: false);
        };

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(other, Git.Commit(result.CommitSha!)!.Parents.Single());
        StringAssert.Contains(Git.ReadText("main", Api), "api:ffff000");
        StringAssert.Contains(Git.ReadText("main", Manifest), New);
    }

    [TestMethod]
    public void An_executable_manifest_stays_executable()
    {
        Git.CommitFiles("main", new Dictionary<string, byte[]> { ["apps/tool/deployment.yaml"] = Encoding.UTF8.GetBytes(TestManifest.Deployment(Old, "web")) },
            "Executable", SimulatedGitStore.Executable);

        var (result, _) = Deployer().Deploy(Request(manifest: "apps/tool/deployment.yaml"));

        Server.AssertHonoured();
        Assert.AreEqual(SimulatedGitStore.Executable, Git.Find(Git.Commit(result.CommitSha!)!.Tree, "apps/tool/deployment.yaml")!.Mode);
        Assert.AreEqual("executable", Server.RequestsTo(Src).Single().Form.Single(f => f.IsFile).Parameters["x-attributes"]);
    }

    [TestMethod]
    public void A_form_the_description_does_not_allow_is_a_violation()
    {
        using var client = new HttpClient();
        using var form = new StringContent("branch=main&message=m", Encoding.UTF8, "text/plain");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", BitbucketContract.Token);

        using var answer = client.PostAsync(new Uri(Server.ApiRoot, "repositories/team/config/src"), form).GetAwaiter().GetResult();

        Assert.AreEqual(400, (int)answer.StatusCode);
        StringAssert.Contains(Server.Violations.Single(), "Content-Type");
    }
}
