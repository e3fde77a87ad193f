using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>
/// GitOpsCommitMethod=api on GitHub: the one deploy path (ConfigDeployer, the same change and trailers) with the
/// forge's writer instead of a clone, against the GitHub contract server, which keeps a real object store and branch
/// refs and holds every request to GitHub's description.
/// </summary>
[TestClass]
public sealed class GitHubApiCommitTests
{
    private const string Old = "registry.example.com/team/web:0000001";
    private const string New = "registry.example.com/team/web:a1b2c3d";
    private const string Manifest = "apps/web/deployment.yaml";

    private static GitHubContract Seeded()
    {
        var contract = new GitHubContract();
        contract.Git.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = "# keep this comment\r\n" + TestManifest.Deployment(Old, "web").Replace("\n", "\r\n", StringComparison.Ordinal),
            ["apps/api/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/api:0000001", "api"),
            ["other/big/readme.md"] = "unrelated\n",
        }, "Initial config");
        return contract;
    }

    private static DeploymentRequest Request(string image, string manifest = Manifest, string? branch = "main", string author = "Bot", string email = "bot@example.com",
        bool dryRun = false, string? pushBranch = null) =>
        new(new DeploymentFacts(ImageReference.Parse(image), "sha256:" + new string('1', 64), "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", null, "Web.csproj"),
            ConfigRepositoryLocation.Parse("https://github.example/team/config.git"), branch, [new ManifestTarget(manifest, new ManifestEditOptions())],
            null, author, email, dryRun, pushBranch);

    private static ConfigDeployer Deployer(GitHubContract contract, RecordingLog log, string token = GitHubContract.Token, int retries = 3)
    {
        var http = GitHubForgeClientTests.Http(contract, token, log: log);
        var options = new ConfigWriterOptions { PushRetries = retries };
        var writer = new ForgeCommitWriter(new GitHubCommits(http), log, options, http.Deadline,
            forgeSigns: token == GitHubContract.InstallationToken, Backoff.None);
        return new ConfigDeployer(null, log, options, null, writer);
    }

    [TestMethod]
    public void The_forge_answers_whether_a_revision_is_the_deploy_commit_or_a_later_commit_of_the_branch()
    {
        using var contract = Seeded();
        ForgeApiCommitContractTests.AssertAncestry(contract.Git, contract.Server, new GitHubCommits(GitHubForgeClientTests.Http(contract, GitHubContract.Token)));
    }

    [TestMethod]
    public void A_ref_update_answered_200_that_names_the_old_tip_is_GITOPS147_and_not_made_again()
    {
        // Issue 20: the ref's answer (git-ref, object.sha required) is the branch as the update left it. Before: deployed.
        using var contract = Seeded();
        var tip = contract.Git.Tip("main");
        contract.Git.DropsRefUpdates = true;
        var log = new RecordingLog();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer(contract, log).Deploy(Request(New)));

        Assert.AreEqual(Errors.ApiCommitNotApplied.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, Messages.ShortSha(tip!));
        Assert.AreEqual(tip, contract.Git.Tip("main"));
        Assert.AreEqual(1, contract.Server.RequestsTo("git/update-ref").Count(), "never written again: the commit could land twice");
        contract.AssertHonoured();
    }

    [TestMethod]
    public void A_single_manifest_is_committed_in_six_calls_with_only_the_image_bytes_changed()
    {
        using var contract = Seeded();
        var before = contract.Git.Read("main", Manifest)!;
        var log = new RecordingLog();

        var (result, _) = Deployer(contract, log).Deploy(Request(New));

        contract.AssertHonoured();
        var after = contract.Git.Read("main", Manifest)!;
        Assert.AreEqual(Encoding.UTF8.GetString(before).Replace(Old, New, StringComparison.Ordinal), Encoding.UTF8.GetString(after), "CRLF and the comment kept");
        Assert.AreEqual(contract.Git.Tip("main"), result.CommitSha);
        var commit = contract.Git.Commit(result.CommitSha!)!;
        StringAssert.StartsWith(commit.Message, "Deploy team/web:a1b2c3d");
        StringAssert.Contains(commit.Message, "GitOps-Image: " + New);
        StringAssert.Contains(commit.Message, "GitOps-Source-Commit: a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0");
        Assert.AreEqual("Bot <bot@example.com> 1700000000 +0000", commit.Author, "a token's commit names the configured author");
        // The only files that differ between the parent's tree and the new one are the manifest.
        var parent = contract.Git.Commit(commit.Parents.Single())!;
        var changed = contract.Git.Walk(commit.Tree).Where(f => !f.Entry.IsTree)
            .Where(f => contract.Git.Find(parent.Tree, f.Path)?.Id != f.Entry.Id).Select(f => f.Path).ToList();
        CollectionAssert.AreEqual(new[] { Manifest }, changed);
        var calls = contract.Server.Requests.Select(r => r.Operation?.OperationId).ToList();
        CollectionAssert.AreEqual(new[] { "repos/get-branch", "repos/get-content", "git/create-blob", "git/create-tree", "git/create-commit", "git/update-ref" }, calls,
            "six calls: the branch, the file, the blob, the tree, the commit, the ref");
        Assert.IsFalse((bool?)contract.Server.RequestsTo("git/update-ref").Single().Json!["force"] ?? false);
        Assert.IsFalse(contract.Server.Requests.Any(r => r.Operation?.OperationId == "git/get-tree"), "a file named on its own lists no tree");
        Assert.IsTrue(log.Important.Any(l => l.Contains("through the GitHub API", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_glob_lists_only_the_trees_on_its_path_and_commits_every_match_at_once()
    {
        using var contract = Seeded();
        contract.Git.CommitText("main", new Dictionary<string, string>
        {
            ["apps/web/overlays/staging/deployment.yaml"] = TestManifest.Deployment(Old, "web"),
            ["apps/web/overlays/production/deployment.yaml"] = TestManifest.Deployment(Old, "web"),
        }, "Overlays");
        var log = new RecordingLog();

        var (result, _) = Deployer(contract, log).Deploy(Request(New, "apps/web/overlays/*/deployment.yaml"));

        contract.AssertHonoured();
        Assert.IsNotNull(result.CommitSha);
        StringAssert.Contains(contract.Git.ReadText("main", "apps/web/overlays/staging/deployment.yaml"), New);
        StringAssert.Contains(contract.Git.ReadText("main", "apps/web/overlays/production/deployment.yaml"), New);
        StringAssert.Contains(contract.Git.ReadText("main", Manifest), Old, "outside the glob");
        Assert.AreEqual(1, contract.CommitRequests.Count, "one commit for every match");
        // Trees read: the root, apps, apps/web (one level each), then apps/web/overlays whole; never other/ nor apps/api.
        var parentTree = contract.Git.Commit(contract.Git.Commit(result.CommitSha!)!.Parents[0])!.Tree;
        var wanted = new[] { "", "apps", "apps/web", "apps/web/overlays" }
            .Select(path => path.Length == 0 ? parentTree : contract.Git.Find(parentTree, path)!.Id).ToList();
        var read = contract.Server.RequestsTo("git/get-tree").Select(r => r.PathValues["tree_sha"]).ToList();
        CollectionAssert.AreEqual(wanted, read);
        Assert.AreEqual("1", contract.Server.RequestsTo("git/get-tree").Last().QueryValue("recursive"));
    }

    [TestMethod]
    public void A_release_of_two_images_is_one_commit()
    {
        using var contract = Seeded();
        var log = new RecordingLog();

        var (result, outcome) = Deployer(contract, log).Deploy(
        [
            Request(New),
            Request("registry.example.com/team/api:b2c3d4e", "apps/api/deployment.yaml") with
            {
                Facts = new DeploymentFacts(ImageReference.Parse("registry.example.com/team/api:b2c3d4e"), null, "b2c3d4e5f6", null, "Api.csproj"),
            },
        ]);

        contract.AssertHonoured();
        Assert.AreEqual(1, contract.CommitRequests.Count);
        StringAssert.Contains(contract.Git.ReadText("main", Manifest), New);
        StringAssert.Contains(contract.Git.ReadText("main", "apps/api/deployment.yaml"), "registry.example.com/team/api:b2c3d4e");
        CollectionAssert.AreEquivalent(new[] { Manifest, "apps/api/deployment.yaml" }, outcome.Files.ToArray());
        var message = contract.Git.Commit(result.CommitSha!)!.Message;
        StringAssert.Contains(message, "GitOps-Image: " + New);
        StringAssert.Contains(message, "GitOps-Image: registry.example.com/team/api:b2c3d4e");
    }

    [TestMethod]
    public void A_branch_moved_between_the_read_and_the_ref_update_is_read_again_and_the_change_re_applied()
    {
        using var contract = Seeded();
        var other = "";
        contract.Git.BeforeRefUpdate = branch =>
        {
            if (other.Length > 0) return;
            // Another pipeline's push lands first.
            other = contract.Git.CommitText(branch, new Dictionary<string, string> { ["apps/api/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/api:ffff000", "api") },
                "Deploy team/api:ffff000");
        };
        var log = new RecordingLog();

        var (result, _) = Deployer(contract, log).Deploy(Request(New));

        contract.AssertHonoured();
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(other, contract.Git.Commit(result.CommitSha!)!.Parents.Single(), "committed onto the new tip");
        Assert.AreEqual(result.CommitSha, contract.Git.Tip("main"));
        StringAssert.Contains(contract.Git.ReadText("main", Manifest), New);
        StringAssert.Contains(contract.Git.ReadText("main", "apps/api/deployment.yaml"), "api:ffff000", "the other push is kept");
        Assert.AreEqual(2, contract.Server.RequestsTo("repos/get-branch").Count());
        Assert.IsTrue(log.Important.Any(l => l.Contains("moved since it was read", StringComparison.Ordinal)));
        Assert.IsFalse(contract.Server.Requests.Any(r => (bool?)r.Json?["force"] == true), "never forced");
    }

    [TestMethod]
    public void A_branch_that_keeps_moving_exhausts_the_retries_with_GITOPS029()
    {
        using var contract = Seeded();
        var round = 0;
        contract.Git.BeforeRefUpdate = branch => contract.Git.CommitText(branch, new Dictionary<string, string> { ["race.txt"] = $"{++round}\n" }, "Race");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer(contract, new RecordingLog(), retries: 2).Deploy(Request(New)));

        Assert.AreEqual("GITOPS029", error.Code);
        Assert.AreEqual(3, contract.Server.RequestsTo("git/update-ref").Count());
        StringAssert.Contains(contract.Git.ReadText("main", Manifest), Old);
    }

    [TestMethod]
    public void A_GitHub_App_token_asks_for_an_unsigned_author_less_commit_so_GitHub_signs_it()
    {
        using var contract = Seeded();

        var (result, _) = Deployer(contract, new RecordingLog(), GitHubContract.InstallationToken)
            .Deploy(Request(New, author: ForgeCommitWriter.ProductAuthorName, email: ForgeCommitWriter.ProductAuthorEmail));

        contract.AssertHonoured();
        var sent = contract.CommitRequests.Single();
        Assert.IsNull(sent["author"]);
        Assert.IsNull(sent["committer"]);
        Assert.IsNull(sent["signature"]);
        Assert.IsNull(contract.Git.Commit(result.CommitSha!)!.Author, "the App is the author: GitHub verifies the commit");
        Assert.IsTrue(contract.Server.Requests.All(r => r.Authorization == "Bearer " + GitHubContract.InstallationToken));
    }

    [TestMethod]
    public void A_GitHub_App_token_keeps_an_author_the_user_named()
    {
        using var contract = Seeded();

        Deployer(contract, new RecordingLog(), GitHubContract.InstallationToken).Deploy(Request(New, author: "Release Bot", email: "release@example.com"));

        Assert.AreEqual("Release Bot", (string?)contract.CommitRequests.Single()["author"]!["name"]);
    }

    [TestMethod]
    public void A_dry_run_reads_through_the_API_and_writes_nothing()
    {
        using var contract = Seeded();
        var tip = contract.Git.Tip("main");

        var (result, outcome) = Deployer(contract, new RecordingLog()).Deploy(Request(New, dryRun: true));

        contract.AssertHonoured();
        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, contract.Git.Tip("main"));
        StringAssert.Contains(outcome.Diff, "+          image: " + New);
        Assert.IsTrue(contract.Server.Requests.All(r => r.Method == "GET"), "no write call");
    }

    [TestMethod]
    public void A_push_branch_is_created_from_the_base_and_later_runs_build_on_it()
    {
        using var contract = Seeded();
        var baseTip = contract.Git.Tip("main");

        var (first, _) = Deployer(contract, new RecordingLog()).Deploy(Request(New) with { PushBranchTemplate = "gitops/team-web-{Tag}" });
        var (second, _) = Deployer(contract, new RecordingLog()).Deploy(Request("registry.example.com/team/web:b2c3d4e") with { PushBranchTemplate = "gitops/team-web-a1b2c3d" });

        contract.AssertHonoured();
        Assert.AreEqual("gitops/team-web-a1b2c3d", first.Branch);
        Assert.AreEqual(baseTip, contract.Git.Tip("main"), "the base is untouched");
        Assert.AreEqual(baseTip, contract.Git.Commit(first.CommitSha!)!.Parents.Single());
        Assert.AreEqual(first.CommitSha, contract.Git.Commit(second.CommitSha!)!.Parents.Single());
        Assert.AreEqual(1, contract.Server.RequestsTo("git/create-ref").Count());
        Assert.AreEqual("refs/heads/gitops/team-web-a1b2c3d", (string?)contract.Server.RequestsTo("git/create-ref").Single().Json!["ref"]);
    }

    [TestMethod]
    public void Nothing_to_change_commits_nothing()
    {
        using var contract = Seeded();
        Deployer(contract, new RecordingLog()).Deploy(Request(New));
        var tip = contract.Git.Tip("main");

        var (result, _) = Deployer(contract, new RecordingLog()).Deploy(Request(New));

        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, contract.Git.Tip("main"));
    }

    [TestMethod]
    public void A_link_named_as_the_manifest_is_GITOPS050()
    {
        using var contract = Seeded();
        contract.Git.CommitFiles("main", new Dictionary<string, byte[]> { ["apps/link.yaml"] = Encoding.UTF8.GetBytes("web/deployment.yaml") }, "Link",
            SimulatedGitStore.Link);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer(contract, new RecordingLog()).Deploy(Request(New, "apps/link.yaml")));

        Assert.AreEqual("GITOPS050", error.Code);
    }

    [TestMethod]
    public void The_default_branch_is_learned_once_when_GitOpsConfigBranch_is_unset()
    {
        using var contract = Seeded();

        var (result, _) = Deployer(contract, new RecordingLog()).Deploy(Request(New, branch: null));

        contract.AssertHonoured();
        Assert.AreEqual("main", result.Branch);
        Assert.AreEqual(1, contract.Server.RequestsTo("repos/get").Count());
        Assert.AreEqual(7, contract.Server.Requests.Count);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "a tree that lists itself")]
    [DataRow(true, DisplayName = "a chain of new trees without end")]
    public void A_hostile_tree_walk_is_GITOPS107_not_a_walk_until_the_deadline(bool endless)
    {
        // The recursive listing says it is truncated, so the walk reads each tree on its own; every tree then lists,
        // besides what it holds, a subtree "loop": itself, or a tree never seen before (ids a hostile server makes up).
        using var contract = Seeded();
        var made = 0;
        contract.Server.Handle("git/get-tree", request =>
        {
            var sha = request.PathValues["tree_sha"];
            var entries = (contract.Git.Tree(sha) ?? []).Select(e => (Path: e.Name, Entry: e)).ToList();
            var loop = endless ? (++made).ToString("x40", System.Globalization.CultureInfo.InvariantCulture) : sha;
            var tree = new System.Text.Json.Nodes.JsonArray([.. entries.Select(e => (System.Text.Json.Nodes.JsonNode)TreeItem(contract, e.Path, e.Entry.Mode, e.Entry.IsTree, e.Entry.Id)),
                TreeItem(contract, "loop", "040000", true, loop)]);
            return ContractResponse.Json(System.Net.HttpStatusCode.OK, contract.Shaped("git-tree", new System.Text.Json.Nodes.JsonObject
            {
                ["sha"] = sha, ["url"] = $"{contract.Server.ApiRoot}repos/{contract.Owner}/{contract.Repository}/git/trees/{sha}",
                ["truncated"] = request.QueryValue("recursive") is { Length: > 0 },
                ["tree"] = tree,
            }));
        });

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer(contract, new RecordingLog()).Deploy(Request(New, "apps/**/*.yaml")));

        Assert.AreEqual("GITOPS107", error.Code, error.Message);
        StringAssert.Contains(error.Message, endless ? "deeper than" : "lists itself");
        Assert.IsTrue(contract.Server.RequestsTo("git/get-tree").Count() < 5_000, $"{contract.Server.RequestsTo("git/get-tree").Count()} trees read");
    }

    private static System.Text.Json.Nodes.JsonObject TreeItem(GitHubContract contract, string path, string mode, bool isTree, string sha)
    {
        var item = new System.Text.Json.Nodes.JsonObject
        {
            ["path"] = path, ["mode"] = mode, ["type"] = isTree ? "tree" : "blob", ["sha"] = sha,
            ["url"] = $"{contract.Server.ApiRoot}repos/{contract.Owner}/{contract.Repository}/git/{(isTree ? "trees" : "blobs")}/{sha}",
        };
        if (!isTree) item["size"] = contract.Git.Blob(sha)!.Length;
        return item;
    }

    [TestMethod]
    public void The_blob_id_is_gits()
    {
        // git hash-object of "hello\n".
        Assert.AreEqual("ce013625030ba8dba906f756967f9e9ca394464a", GitHubCommits.BlobId(Encoding.ASCII.GetBytes("hello\n")));
    }
}
