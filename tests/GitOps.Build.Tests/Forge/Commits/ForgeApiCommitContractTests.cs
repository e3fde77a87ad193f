using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Manifests;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>
/// What GitOpsCommitMethod=api must do on every forge whose commit client is a REST one, each against its forge's
/// contract server, which keeps a real object store (<see cref="SimulatedGitStore"/>) and holds every request to the
/// vendored description: the one deploy path (ConfigDeployer: the same edit, checks and trailers as on a clone) with
/// the forge's writer, composed as the task composes it (ForgeClients.Commits). A derived class per forge says how its
/// contract starts and names its operations.
/// </summary>
public abstract class ForgeApiCommitContractTests
{
    protected const string Old = "registry.example.com/team/web:0000001";
    protected const string New = "registry.example.com/team/web:a1b2c3d";
    protected const string Manifest = "apps/web/deployment.yaml";
    protected const string Api = "apps/api/deployment.yaml";

    private readonly List<IDisposable> owned = [];

    internal SimulatedGitStore Git { get; } = new();

    internal SimulatedRepository State { get; } = new();

    internal RecordingLog Log { get; } = new();

    internal ContractServer Server { get; private set; } = null!;

    private Uri apiRoot = null!;

    internal abstract (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state, SimulatedGitStore git);

    internal abstract ForgeRepository RepositoryAt(Uri apiRoot);

    /// <summary>The write (the one call that commits), the branch read each round, and a single manifest's calls in order.</summary>
    internal abstract string WriteOperation { get; }

    internal abstract string TipOperation { get; }

    internal abstract string[] SingleManifestCalls { get; }

    [TestInitialize]
    public void Seed()
    {
        Git.CommitText("main", new Dictionary<string, string>
        {
            [Manifest] = "# keep this comment\r\n" + TestManifest.Deployment(Old, "web").Replace("\n", "\r\n", StringComparison.Ordinal),
            [Api] = TestManifest.Deployment("registry.example.com/team/api:0000001", "api"),
            ["other/big/readme.md"] = "unrelated\n",
        }, "Initial config");
        (Server, apiRoot) = Start(State, Git);
        owned.Add(Server);
    }

    [TestCleanup]
    public void CleanUp()
    {
        foreach (var item in owned) item.Dispose();
    }

    internal ConfigDeployer Deployer(int retries = 3, bool pullRequest = false)
    {
        var http = Http();
        var commits = ForgeClients.Commits(http);
        owned.Add(commits);
        var options = new ConfigWriterOptions { PushRetries = retries };
        // The pull request on the same forge, as ForgeCommitSetup and PullRequestSetup compose them.
        PullRequestStep? step = null;
        if (pullRequest)
        {
            step = new PullRequestStep(ForgeClients.Create(Http()), new PullRequestOptions(null, null, null, [], false, [], false, MergeMethod.Squash, false), Log);
            owned.Add(step);
        }
        return new ConfigDeployer(null, Log, options, step, new ForgeCommitWriter(commits, Log, options, http.Deadline, forgeSigns: false, Backoff.None));
    }

    private ForgeHttp Http() => new(RepositoryAt(apiRoot), new ForgeCredentials("good", ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct,
        new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), Log);

    internal static DeploymentRequest Request(string image = New, string manifest = Manifest, string? branch = "main", bool dryRun = false,
        string? pushBranch = null, string? sourceCommit = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", DeployOrderCheck? order = null) =>
        new(new DeploymentFacts(ImageReference.Parse(image), "sha256:" + new string('1', 64), sourceCommit, null, "Web.csproj"),
            ConfigRepositoryLocation.Parse("https://forge.example/team/config.git"), branch, [new ManifestTarget(manifest, new ManifestEditOptions())],
            null, "Bot", "bot@example.com", dryRun, pushBranch, order);

    private IEnumerable<ContractRequest> Writes => Server.RequestsTo(WriteOperation);

    // Another pipeline's deploy of the api image, and (touch) a line added to the web manifest: a push to the same file.
    protected string PushByOthers(string branch, int round = 0, bool touchManifest = true)
    {
        var files = new Dictionary<string, string> { [Api] = TestManifest.Deployment($"registry.example.com/team/api:ffff{round:000}", "api") };
        if (touchManifest)
            files[Manifest] = Encoding.UTF8.GetString(Git.Read(branch, Manifest)!) + $"# touched by another pipeline {round}\r\n";
        return Git.CommitText(branch, files, "Deploy team/api");
    }

    protected void AssertTheSameCommitAsAClone(string commitSha, string parent)
    {
        var commit = Git.Commit(commitSha)!;
        Assert.AreEqual(parent, commit.Parents.Single());
        StringAssert.StartsWith(commit.Message, "Deploy team/web:a1b2c3d");
        StringAssert.Contains(commit.Message, "GitOps-Image: " + New);
        StringAssert.Contains(commit.Message, "GitOps-Source-Commit: a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0");
        Assert.AreEqual("Bot <bot@example.com> 1700000000 +0000", commit.Author, "the configured author");
        var before = Git.Commit(parent)!;
        var changed = Git.Walk(commit.Tree).Where(f => !f.Entry.IsTree).Where(f => Git.Find(before.Tree, f.Path)?.Id != f.Entry.Id).Select(f => f.Path).ToList();
        CollectionAssert.AreEqual(new[] { Manifest }, changed, "only the manifest");
        var old = Encoding.UTF8.GetString(Git.Blob(Git.Find(before.Tree, Manifest)!.Id)!);
        Assert.AreEqual(old.Replace(Old, New, StringComparison.Ordinal), Encoding.UTF8.GetString(Git.Blob(Git.Find(commit.Tree, Manifest)!.Id)!),
            "only the image bytes: CRLF and the comment kept");
        Assert.AreEqual(Git.Find(before.Tree, Manifest)!.Mode, Git.Find(commit.Tree, Manifest)!.Mode, "the mode kept");
    }

    [TestMethod]
    public void A_single_manifest_is_the_commit_a_clone_would_make_in_the_calls_expected()
    {
        var tip = Git.Tip("main")!;

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(Git.Tip("main"), result.CommitSha);
        AssertTheSameCommitAsAClone(result.CommitSha!, tip);
        CollectionAssert.AreEqual(SingleManifestCalls, Server.Requests.Select(r => r.Operation?.OperationId).ToArray(),
            string.Join("\n", Server.Requests));
        Assert.IsTrue(Log.Important.Any(l => l.Contains("API", StringComparison.Ordinal) && l.Contains(Messages.ShortSha(result.CommitSha!), StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_push_to_the_same_manifest_between_the_read_and_the_write_is_a_lost_race_read_again_and_re_applied()
    {
        var other = "";
        Git.BeforeRefUpdate = branch =>
        {
            if (other.Length == 0) other = PushByOthers(branch);
        };

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(other, Git.Commit(result.CommitSha!)!.Parents.Single(), "committed onto the new tip");
        Assert.AreEqual(result.CommitSha, Git.Tip("main"));
        var manifest = Git.ReadText("main", Manifest);
        StringAssert.Contains(manifest, New);
        StringAssert.Contains(manifest, "# touched by another pipeline", "the other push is kept");
        StringAssert.Contains(Git.ReadText("main", Api), "api:ffff000");
        Assert.AreEqual(2, Writes.Count());
        Assert.IsTrue(Log.Important.Any(l => l.Contains("moved since it was read", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The code of a write answered as made while the branch stayed: GITOPS148 (outcome unknown) where the answer names
    /// only the commit and the branch read afterwards is the judge; GITOPS147 where the answer itself names the branch.
    /// </summary>
    internal virtual string DroppedUpdateCode => Errors.ApiCommitOutcomeUnknown.Code;

    [TestMethod]
    public void A_write_answered_as_made_while_the_branch_stays_is_never_deployed_nor_made_again()
    {
        // Issue 20: a forge (a hook, a replica, a proxy) that answers success without moving the branch. Before: deployed.
        var tip = Git.Tip("main");
        Git.DropsRefUpdates = true;

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer().Deploy(Request()));

        Assert.AreEqual(DroppedUpdateCode, error.Code, error.Message);
        StringAssert.Contains(error.Message, "'main'");
        Assert.AreEqual(tip, Git.Branches["main"]);
        Assert.AreEqual(1, Writes.Count(), "never written again: the commit could land twice");
        Assert.IsLessThanOrEqualTo(ForgeCommitWriter.LandingReads + 1, Server.RequestsTo(TipOperation).Count(), "bounded reads of the branch");
        Server.AssertHonoured();
    }

    [TestMethod]
    public void A_replica_that_lags_behind_the_write_is_read_again_until_it_holds_the_commit()
    {
        Git.LaggingReads = 2;

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(Git.Branches["main"], result.CommitSha);
        Assert.AreEqual(1, Writes.Count());
    }

    [TestMethod]
    public void A_deploy_landing_on_top_of_ours_before_the_branch_is_read_still_proves_ours_landed()
    {
        var other = "";
        Git.AfterRefUpdate = branch =>
        {
            if (other.Length == 0) other = PushByOthers(branch, 7);
        };

        var (result, _) = Deployer().Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(other, Git.Branches["main"]);
        Assert.AreEqual(result.CommitSha, Git.Commit(other)!.Parents.Single(), "ours is under the tip");
        Assert.AreEqual(1, Writes.Count());
    }

    [TestMethod]
    public void A_branch_that_keeps_moving_exhausts_the_retries_with_GITOPS029_and_nothing_lands()
    {
        var round = 0;
        Git.BeforeRefUpdate = branch => PushByOthers(branch, ++round);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer(retries: 2).Deploy(Request()));

        Assert.AreEqual("GITOPS029", error.Code);
        Assert.AreEqual(3, Writes.Count());
        StringAssert.Contains(Git.ReadText("main", Manifest), Old);
        Server.AssertHonoured();
    }

    [TestMethod]
    public void A_dry_run_reads_through_the_API_and_writes_nothing()
    {
        var tip = Git.Tip("main");

        var (result, outcome) = Deployer().Deploy(Request(dryRun: true));

        Server.AssertHonoured();
        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, Git.Tip("main"));
        StringAssert.Contains(outcome.Diff, "+          image: " + New);
        Assert.IsTrue(Server.Requests.All(r => r.Method == "GET"), "no write call");
    }

    [TestMethod]
    public void A_pull_request_branch_is_created_from_the_base_and_a_later_run_builds_on_it()
    {
        var baseTip = Git.Tip("main");

        var (first, _) = Deployer().Deploy(Request() with { PushBranchTemplate = "gitops/team-web-{Tag}" });
        var (second, _) = Deployer().Deploy(Request("registry.example.com/team/web:b2c3d4e") with { PushBranchTemplate = "gitops/team-web-a1b2c3d" });

        Server.AssertHonoured();
        Assert.AreEqual("gitops/team-web-a1b2c3d", first.Branch);
        Assert.AreEqual(baseTip, Git.Tip("main"), "the base is untouched");
        AssertTheSameCommitAsAClone(first.CommitSha!, baseTip!);
        Assert.AreEqual(first.CommitSha, Git.Commit(second.CommitSha!)!.Parents.Single());
        Assert.AreEqual(second.CommitSha, Git.Tip("gitops/team-web-a1b2c3d"));
        StringAssert.Contains(Git.ReadText("gitops/team-web-a1b2c3d", Manifest), "team/web:b2c3d4e");
    }

    [TestMethod]
    public void With_GitOpsPullRequest_the_forge_commits_to_a_branch_of_its_own_and_the_pull_request_proposes_it()
    {
        var baseTip = Git.Tip("main");

        var (result, _) = Deployer(pullRequest: true).Deploy(Request());

        Server.AssertHonoured();
        Assert.AreEqual(baseTip, Git.Tip("main"), "the base is untouched");
        var pull = State.Pulls.Single();
        Assert.IsTrue(pull.IsOpen);
        Assert.AreEqual(result.Branch, pull.Head);
        Assert.AreEqual("main", pull.Base);
        Assert.AreEqual(result.CommitSha, Git.Tip(result.Branch));
        AssertTheSameCommitAsAClone(result.CommitSha!, baseTip!);

        var (later, _) = Deployer(pullRequest: true).Deploy(Request("registry.example.com/team/web:b2c3d4e"));

        Server.AssertHonoured();
        Assert.AreNotEqual(result.Branch, later.Branch, "another build, another proposal");
        Assert.AreEqual(later.Branch, State.Pulls.Last().Head);
        Assert.AreEqual(later.CommitSha, Git.Tip(later.Branch));
        Assert.AreEqual(baseTip, Git.Commit(later.CommitSha!)!.Parents.Single(), "started from the base again");
    }

    [TestMethod]
    public void A_pull_request_branch_another_run_created_first_is_a_lost_race_and_the_change_goes_onto_it()
    {
        var other = "";
        Git.BeforeRefUpdate = branch =>
        {
            if (other.Length > 0 || branch == "main") return;
            Git.SetBranch(branch, Git.Tip("main")!);
            other = PushByOthers(branch);
        };

        var (result, _) = Deployer().Deploy(Request() with { PushBranchTemplate = "gitops/team-web-{Tag}" });

        Server.AssertHonoured();
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(other, Git.Commit(result.CommitSha!)!.Parents.Single());
        StringAssert.Contains(Git.ReadText("gitops/team-web-a1b2c3d", Manifest), New);
    }

    [TestMethod]
    public void The_order_guard_refuses_an_earlier_build_after_a_later_one_and_writes_nothing()
    {
        using var app = AppHistory.Create(3);
        var later = $"registry.example.com/team/web:{app.Tag(2)}";
        Git.CommitText("main", new Dictionary<string, string> { [Manifest] = TestManifest.Deployment(later, "web") }, $"Deploy team/web:{app.Tag(2)}");
        var tip = Git.Tip("main");

        var (result, _) = Deployer().Deploy(Request($"registry.example.com/team/web:{app.Tag(1)}", sourceCommit: app.Commits[1],
            order: new DeployOrderCheck(app.Root, AllowDowngrade: false)));

        Server.AssertHonoured();
        Assert.IsFalse(result.Committed);
        Assert.AreEqual(tip, Git.Tip("main"));
        Assert.AreEqual(0, Writes.Count());
        StringAssert.Contains(Log.Important.Single(l => l.Contains("does not go backwards", StringComparison.Ordinal)), app.Commits[2]);
    }

    [TestMethod]
    public void A_glob_lists_only_its_directory_and_commits_every_match_at_once()
    {
        Git.CommitText("main", new Dictionary<string, string>
        {
            ["apps/web/overlays/staging/deployment.yaml"] = TestManifest.Deployment(Old, "web"),
            ["apps/web/overlays/production/deployment.yaml"] = TestManifest.Deployment(Old, "web"),
        }, "Overlays");

        var (result, _) = Deployer().Deploy(Request(manifest: "apps/web/overlays/*/deployment.yaml"));

        Server.AssertHonoured();
        Assert.IsNotNull(result.CommitSha);
        StringAssert.Contains(Git.ReadText("main", "apps/web/overlays/staging/deployment.yaml"), New);
        StringAssert.Contains(Git.ReadText("main", "apps/web/overlays/production/deployment.yaml"), New);
        StringAssert.Contains(Git.ReadText("main", Manifest), Old, "outside the glob");
        Assert.AreEqual(1, Writes.Count(), "one commit for every match");
        Assert.IsFalse(Server.Requests.Any(r => r.RawUrl.Contains("other", StringComparison.Ordinal)), "nothing outside the glob's directory is listed");
    }

    [TestMethod]
    public void A_link_named_as_the_manifest_is_GITOPS050()
    {
        Git.CommitFiles("main", new Dictionary<string, byte[]> { ["apps/link.yaml"] = Encoding.UTF8.GetBytes("web/deployment.yaml") }, "Link",
            SimulatedGitStore.Link);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer().Deploy(Request(manifest: "apps/link.yaml")));

        Assert.AreEqual("GITOPS050", error.Code);
    }

    [TestMethod]
    public void Nothing_to_change_commits_nothing()
    {
        Deployer().Deploy(Request());
        var tip = Git.Tip("main");
        var writes = Writes.Count();

        var (result, _) = Deployer().Deploy(Request());

        Assert.IsNull(result.CommitSha);
        Assert.AreEqual(tip, Git.Tip("main"));
        Assert.AreEqual(writes, Writes.Count());
    }

    [TestMethod]
    public void The_default_branch_is_learned_when_GitOpsConfigBranch_is_unset()
    {
        var (result, _) = Deployer().Deploy(Request(branch: null));

        Server.AssertHonoured();
        Assert.AreEqual("main", result.Branch);
        Assert.AreEqual(result.CommitSha, Git.Tip("main"));
    }

    [TestMethod]
    public void A_missing_manifest_is_GITOPS_not_found_naming_the_path()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Deployer().Deploy(Request(manifest: "apps/none/deployment.yaml")));

        StringAssert.Contains(error.Message, "apps/none/deployment.yaml");
        Assert.AreEqual(0, Writes.Count());
    }

    /// <summary>
    /// The deploy wait's question under GitOpsCommitMethod=api (ForgeAncestry over this forge's client, as ForgeCommitSetup
    /// composes it): the deploy commit and later commits of the branch are the deploy; an older commit, a commit the forge
    /// does not know and a descendant on another branch are not. Every request is held to the vendored description.
    /// </summary>
    [TestMethod]
    public void The_forge_answers_whether_a_revision_is_the_deploy_commit_or_a_later_commit_of_the_branch() =>
        AssertAncestry(Git, Server, ForgeClients.Commits(Http()));

    /// <summary>The ancestry check's cases on <paramref name="git"/>'s main branch (which has a commit), asked through <paramref name="commits"/>.</summary>
    internal static void AssertAncestry(SimulatedGitStore git, ContractServer server, IForgeCommits commits)
    {
        var initial = git.Tip("main")!;
        var deploy = git.CommitText("main", new Dictionary<string, string> { ["other/big/readme.md"] = "deploy\n" }, "Deploy");
        var later = git.CommitText("main", new Dictionary<string, string> { ["other/big/readme.md"] = "later\n" }, "Later");
        var tip = git.CommitText("main", new Dictionary<string, string> { ["other/big/readme.md"] = "tip\n" }, "Tip");
        git.SetBranch("side", later);
        var elsewhere = git.CommitText("side", new Dictionary<string, string> { ["other/big/readme.md"] = "side\n" }, "Side");
        using var ancestry = new ForgeAncestry(commits, commits);
        var location = ConfigRepositoryLocation.Parse("https://forge.example/team/config.git");
        bool? Ask(string revision) => ancestry.Relation(location, "main", revision, deploy, CancellationToken.None);

        Assert.IsTrue(Ask(deploy), "the deploy commit");
        Assert.IsTrue(Ask(later), "a later commit of the branch");
        Assert.IsTrue(Ask(tip), "the branch's tip");
        Assert.IsFalse(Ask(initial), "an older commit");
        Assert.IsFalse(Ask(new string('e', 40)), "a commit the forge does not know");
        Assert.IsFalse(Ask(elsewhere), "a descendant on another branch: not what the branch runs");
        server.AssertHonoured();
    }
}
