using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Forge;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Targets;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>
/// A rollback's read under GitOpsCommitMethod=api (<see cref="ForgeTipChanges"/> through <see cref="ForgeConfigReader"/>),
/// on each forge's contract server, held to its vendored description: what the tip commit changed against its parent,
/// with the same verdicts a clone's TipChanges gives (a file added, a merge commit: not revertable, GITOPS162's reason).
/// </summary>
[TestClass]
public sealed class ForgeTipChangesTests
{
    private const string Manifest = "apps/web/deployment.yaml";
    private const string Api = "apps/api/deployment.yaml";

    private static CommitFileChanges Read(ApiForgeServer forge)
    {
        var deadline = new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None);
        var location = ConfigRepositoryLocation.Parse(forge.ConfigUrl);
        var http = new ForgeHttp(ForgeRepository.Parse(location, forge.Name, forge.ApiRoot.ToString()),
            new ForgeCredentials(forge.Token, ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct, deadline, new RecordingLog());
        using var commits = ForgeClients.Commits(http);
        var changes = new ForgeConfigReader(commits, deadline).Read(location, "main", snapshot => snapshot.TipChanges(), CancellationToken.None);
        forge.Server.AssertHonoured();
        return changes;
    }

    private static ApiForgeServer Start(string name, Action<SimulatedGitStore> then) => ApiForgeServer.Start(name, store =>
    {
        store.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = TestManifest.Deployment("registry.example.com/team/web:0000001", "web"),
            [Api] = TestManifest.Deployment("registry.example.com/team/api:0000001", "api"),
            ["README.md"] = "config\n",
        }, "Initial config");
        then(store);
    });

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void The_files_a_deploy_commit_changed_are_read_at_its_parent_and_at_it(string name)
    {
        string deploy = "";
        using var forge = Start(name, store => deploy = store.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = TestManifest.Deployment("registry.example.com/team/web:a1b2c3d", "web"),
            [Api] = TestManifest.Deployment("registry.example.com/team/api:a1b2c3d", "api"),
        }, "Deploy team/web:a1b2c3d"));

        var changes = Read(forge);

        Assert.IsNull(changes.Unrevertable, changes.Unrevertable);
        Assert.AreEqual(deploy, changes.Sha);
        StringAssert.StartsWith(changes.Message, "Deploy team/web:a1b2c3d");
        CollectionAssert.AreEquivalent(new[] { Manifest, Api }, changes.Files.Select(f => f.Path).ToArray());
        var web = changes.Files.Single(f => f.Path == Manifest);
        Assert.AreEqual(TestManifest.Deployment("registry.example.com/team/web:0000001", "web"), Encoding.UTF8.GetString(web.OldContent));
        Assert.AreEqual(TestManifest.Deployment("registry.example.com/team/web:a1b2c3d", "web"), Encoding.UTF8.GetString(web.NewContent));
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_commit_that_adds_a_file_is_not_revertable_by_writing_files_back(string name)
    {
        using var forge = Start(name, store => store.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = TestManifest.Deployment("registry.example.com/team/web:a1b2c3d", "web"),
            ["apps/web/extra.yaml"] = "kind: ConfigMap\n",
        }, "Deploy and add"));

        var changes = Read(forge);

        StringAssert.StartsWith(changes.Unrevertable, "apps/web/extra.yaml: ");
        StringAssert.Contains(changes.Unrevertable, "add");
        Assert.AreEqual(0, changes.Files.Count);
    }

    [TestMethod]
    [DataRow("GitHub")]
    [DataRow("GitLab")]
    [DataRow("AzureDevOps")]
    [DataRow("Gitea")]
    [DataRow("Bitbucket")]
    public void A_merge_commit_is_not_revertable(string name)
    {
        using var forge = Start(name, store =>
        {
            var first = store.Tip("main")!;
            var side = store.CommitText("main", new Dictionary<string, string> { ["README.md"] = "side\n" }, "Side");
            store.SetBranch("main", first);
            var main = store.CommitText("main", new Dictionary<string, string> { [Api] = "kind: Other\n" }, "Main");
            store.SetBranch("main", store.PutCommit(store.Commit(main)!.Tree, [main, side], "Merge side"));
        });

        var changes = Read(forge);

        Assert.AreEqual("it is a merge commit", changes.Unrevertable);
    }

    [TestMethod]
    [DataRow("GitHub", "changed")]
    [DataRow("GitLab", "mode 100644 → 100755")]
    [DataRow("Gitea", "mode 100644 → 100755")]
    [DataRow("Bitbucket", "mode 100644 → 100755")]
    public void A_file_made_executable_is_not_revertable_where_the_forge_tells_the_mode(string name, string said)
    {
        using var forge = Start(name, store => store.CommitFiles("main", new Dictionary<string, byte[]>
        {
            [Manifest] = Encoding.UTF8.GetBytes(TestManifest.Deployment("registry.example.com/team/web:a1b2c3d", "web")),
        }, "Deploy, executable", SimulatedGitStore.Executable));

        var changes = Read(forge);

        StringAssert.StartsWith(changes.Unrevertable, Manifest + ": ");
        StringAssert.Contains(changes.Unrevertable, said);
    }
}
