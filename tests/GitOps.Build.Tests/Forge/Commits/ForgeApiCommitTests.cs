using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>
/// GitOpsCommitMethod=api on a REST forge whose contract keeps a real object store (SimulatedRepository.Git): the one
/// deploy path (ConfigDeployer, the same change, verification and trailers) with the forge's writer, every request held
/// to the forge's published description. Each forge's class names its contract and operations; what it proves is the
/// same on each.
/// </summary>
public abstract class ForgeApiCommitTests
{
    protected const string Old = "registry.example.com/team/web:0000001";
    protected const string New = "registry.example.com/team/web:a1b2c3d";
    protected const string Manifest = "apps/web/deployment.yaml";

    private readonly List<ContractServer> servers = [];

    internal abstract ForgeKind Kind { get; }

    /// <summary>The contract's token (as ForgeCredentials takes it: without the scheme).</summary>
    internal abstract string Token { get; }

    /// <summary>The operation that makes the commit.</summary>
    internal abstract string WriteOperation { get; }

    internal abstract (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state);

    internal abstract IForgeCommits Commits(ForgeHttp http);

    protected SimulatedRepository State { get; private set; } = null!;

    protected SimulatedGitStore Git => State.Git;

    protected ContractServer Server { get; private set; } = null!;

    internal RecordingLog Log { get; } = new();

    [TestInitialize]
    public void Seed()
    {
        State = new SimulatedRepository();
        Git.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = "# keep this comment\r\n" + TestManifest.Deployment(Old, "web").Replace("\n", "\r\n", StringComparison.Ordinal),
            ["apps/api/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/api:0000001", "api"),
            ["other/big/readme.md"] = "unrelated\n",
        }, "Initial config");
        (Server, _) = Start(State);
        servers.Add(Server);
    }

    [TestCleanup]
    public void Stop()
    {
        foreach (var server in servers) server.Dispose();
    }

    internal static DeploymentRequest Request(string image, string manifest = Manifest, string? branch = "main", bool dryRun = false) =>
        new(new DeploymentFacts(ImageReference.Parse(image), "sha256:" + new string('1', 64), "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", null, "Web.csproj"),
            ConfigRepositoryLocation.Parse("https://forge.example/team/config.git"), branch, [new ManifestTarget(manifest, new ManifestEditOptions())],
            null, "Bot", "bot@example.com", dryRun, null);

    internal ConfigDeployer Deployer(int retries = 3)
    {
        var http = new ForgeHttp(new ForgeRepository(Kind, Server.ApiRoot, "team", null, "config", "https://forge.example/team/config.git"),
            new ForgeCredentials(Token, ForgeCredentials.TokenVariable), HttpTransportSettings.Direct, new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), Log);
        var options = new ConfigWriterOptions { PushRetries = retries };
        return new ConfigDeployer(null, Log, options, null, new ForgeCommitWriter(Commits(http), Log, options, http.Deadline, forgeSigns: false, Backoff.None));
    }

    protected IEnumerable<ContractRequest> Writes => Server.Requests.Where(r => r.Method != "GET");

    protected void AnotherPipelineChanges(string path, string before, string after)
    {
        var done = false;
        Git.BeforeRefUpdate = branch =>
        {
            if (done || branch != "main") return;
            done = true;
            Git.CommitText(branch, new Dictionary<string, string> { [path] = Git.ReadText(branch, path).Replace(before, after, StringComparison.Ordinal) }, "Another pipeline");
        };
    }

    [TestMethod]
    public void The_commit_is_the_git_paths_only_the_image_bytes_change_with_the_trailers()
    {
        var before = Git.Read("main", Manifest)!;
        var parent = Git.Tip("main");

        var (result, _) = Deployer().Deploy(Request(New));

        Server.AssertHonoured();
        Assert.AreEqual(Encoding.UTF8.GetString(before).Replace(Old, New, StringComparison.Ordinal), Git.ReadText("main", Manifest), "CRLF and the comment kept");
        Assert.AreEqual(Git.Tip("main"), result.CommitSha);
        var commit = Git.Commit(result.CommitSha!)!;
        Assert.AreEqual(parent, commit.Parents.Single());
        StringAssert.StartsWith(commit.Message, "Deploy team/web:a1b2c3d");
        StringAssert.Contains(commit.Message, "GitOps-Image: " + New);
        StringAssert.Contains(commit.Message, "GitOps-Source-Commit: a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0");
        StringAssert.Contains(commit.Message, "GitOps-Image-Digest: sha256:" + new string('1', 64));
        Assert.AreEqual("Bot <bot@example.com> 1700000000 +0000", commit.Author);
        var changed = Git.Walk(commit.Tree).Where(f => !f.Entry.IsTree).Where(f => Git.Find(Git.Commit(parent!)!.Tree, f.Path)?.Id != f.Entry.Id)
            .Select(f => f.Path).ToList();
        CollectionAssert.AreEqual(new[] { Manifest }, changed);
        Assert.AreEqual(1, Server.RequestsTo(WriteOperation).Count(), "one write");
        Assert.IsTrue(Log.Important.Any(l => l.Contains($"through the {Kind} API", StringComparison.Ordinal)), string.Join("\n", Log.Important));
    }

    [TestMethod]
    public void A_push_that_changed_the_manifest_meanwhile_is_a_lost_race_read_again_and_re_applied()
    {
        // Another pipeline edits the same manifest between the read and the write.
        AnotherPipelineChanges(Manifest, "# keep this comment", "# edited by another pipeline");

        var (result, _) = Deployer().Deploy(Request(New));

        Server.AssertHonoured();
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(2, Server.RequestsTo(WriteOperation).Count());
        var text = Git.ReadText("main", Manifest);
        StringAssert.Contains(text, New);
        StringAssert.Contains(text, "# edited by another pipeline", "the other push is kept");
        Assert.AreEqual("Another pipeline", Git.Commit(Git.Commit(result.CommitSha!)!.Parents.Single())!.Message, "committed onto the new tip");
        Assert.IsTrue(Log.Important.Any(l => l.Contains("moved since it was read", StringComparison.Ordinal)), string.Join("\n", Log.Important));
    }

    [TestMethod]
    public void A_branch_that_keeps_moving_exhausts_the_retries_with_GITOPS029()
    {
        var round = 0;
        Git.BeforeRefUpdate = branch => Git.CommitText(branch,
            new Dictionary<string, string> { [Manifest] = Git.ReadText(branch, Manifest) + $"# round {++round}\n" }, "Race");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer(retries: 2).Deploy(Request(New)));

        Assert.AreEqual("GITOPS029", error.Code);
        Assert.AreEqual(3, Server.RequestsTo(WriteOperation).Count());
        StringAssert.Contains(Git.ReadText("main", Manifest), Old);
        Server.AssertHonoured();
    }

    [TestMethod]
    public void A_dry_run_reads_through_the_API_and_writes_nothing()
    {
        var tip = Git.Tip("main");

        var (result, outcome) = Deployer().Deploy(Request(New, dryRun: true));

        Server.AssertHonoured();
        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, Git.Tip("main"));
        StringAssert.Contains(outcome.Diff, "+          image: " + New);
        Assert.AreEqual(0, Writes.Count(), "no write call");
    }

    [TestMethod]
    public void A_push_branch_is_created_from_the_base_and_a_later_run_builds_on_it()
    {
        var baseTip = Git.Tip("main");

        var (first, _) = Deployer().Deploy(Request(New) with { PushBranchTemplate = "gitops/team-web-{Tag}" });
        var (second, _) = Deployer().Deploy(Request("registry.example.com/team/web:b2c3d4e") with { PushBranchTemplate = "gitops/team-web-a1b2c3d" });

        Server.AssertHonoured();
        Assert.AreEqual("gitops/team-web-a1b2c3d", first.Branch);
        Assert.AreEqual(baseTip, Git.Tip("main"), "the base is untouched");
        Assert.AreEqual(baseTip, Git.Commit(first.CommitSha!)!.Parents.Single());
        Assert.AreEqual(first.CommitSha, Git.Commit(second.CommitSha!)!.Parents.Single());
        Assert.AreEqual(second.CommitSha, Git.Tip("gitops/team-web-a1b2c3d"));
        StringAssert.Contains(Git.ReadText("gitops/team-web-a1b2c3d", Manifest), "registry.example.com/team/web:b2c3d4e");
    }

    [TestMethod]
    public void The_deploy_order_guard_reads_the_tip_through_the_API_and_keeps_a_later_build()
    {
        using var history = AppHistory.Create(3);
        Git.CommitText("main", new Dictionary<string, string> { [Manifest] = TestManifest.Deployment($"registry.example.com/team/web:{history.Tag(2)}", "web") },
            "Deploy team/web:" + history.Tag(2));
        var tip = Git.Tip("main");
        var request = Request($"registry.example.com/team/web:{history.Tag(0)}") with
        {
            Facts = new DeploymentFacts(ImageReference.Parse($"registry.example.com/team/web:{history.Tag(0)}"), null, history.Commits[0], null, "Web.csproj"),
            OrderCheck = new DeployOrderCheck(history.Root, AllowDowngrade: false),
        };

        var (result, _) = Deployer().Deploy(request);

        Server.AssertHonoured();
        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, Git.Tip("main"));
        Assert.AreEqual(0, Writes.Count());
        Assert.IsTrue(Log.Important.Any(l => l.Contains("warning GITOPS", StringComparison.Ordinal) && l.Contains(history.Tag(2), StringComparison.Ordinal)),
            string.Join("\n", Log.Important));
    }

    [TestMethod]
    public void A_glob_commits_every_match_at_once()
    {
        Git.CommitText("main", new Dictionary<string, string>
        {
            ["apps/web/overlays/staging/deployment.yaml"] = TestManifest.Deployment(Old, "web"),
            ["apps/web/overlays/production/deployment.yaml"] = TestManifest.Deployment(Old, "web"),
        }, "Overlays");

        var (result, _) = Deployer().Deploy(Request(New, "apps/web/overlays/*/deployment.yaml"));

        Server.AssertHonoured();
        Assert.IsNotNull(result.CommitSha);
        StringAssert.Contains(Git.ReadText("main", "apps/web/overlays/staging/deployment.yaml"), New);
        StringAssert.Contains(Git.ReadText("main", "apps/web/overlays/production/deployment.yaml"), New);
        StringAssert.Contains(Git.ReadText("main", Manifest), Old, "outside the glob");
        Assert.AreEqual(1, Server.RequestsTo(WriteOperation).Count(), "one commit for every match");
    }

    [TestMethod]
    public void A_link_named_as_the_manifest_is_GITOPS050()
    {
        Git.CommitFiles("main", new Dictionary<string, byte[]> { ["apps/link.yaml"] = Encoding.UTF8.GetBytes("web/deployment.yaml") }, "Link", SimulatedGitStore.Link);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer().Deploy(Request(New, "apps/link.yaml")));

        Assert.AreEqual("GITOPS050", error.Code);
        Assert.AreEqual(0, Writes.Count());
    }

    [TestMethod]
    public void The_default_branch_is_learned_when_GitOpsConfigBranch_is_unset()
    {
        var (result, _) = Deployer().Deploy(Request(New, branch: null));

        Server.AssertHonoured();
        Assert.AreEqual("main", result.Branch);
        StringAssert.Contains(Git.ReadText("main", Manifest), New);
    }

    [TestMethod]
    public void Nothing_to_change_commits_nothing()
    {
        Deployer().Deploy(Request(New));
        var tip = Git.Tip("main");

        var (result, _) = Deployer().Deploy(Request(New));

        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, Git.Tip("main"));
    }
}
