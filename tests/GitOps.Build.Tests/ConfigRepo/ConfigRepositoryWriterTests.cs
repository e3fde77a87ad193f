using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>The write-back against real bare repositories over the file transport.</summary>
[TestClass]
public sealed class ConfigRepositoryWriterTests
{
    private const string WebManifest = "apps/web/deployment.yaml";
    private const string ApiManifest = "apps/api/deployment.yaml";
    private const string RenderScript = "scripts/render.sh";
    private const string OldImage = "registry.example.com/web:aaa1111";
    private const string NewImage = "registry.example.com/web:bbb2222";
    private const string Message = "deploy(web): bbb2222\n\nImage: registry.example.com/web:bbb2222\n\nSource-Commit: bbb2222\n";

    private static readonly Dictionary<string, string> Manifests = new()
    {
        [WebManifest] = $"spec:\n  containers:\n  - name: web\n    image: {OldImage}\n",
        [ApiManifest] = "spec:\n  containers:\n  - name: api\n    image: registry.example.com/api:ccc3333\n",
        [RenderScript] = "#!/bin/sh\necho web=aaa1111\n",
    };

    private readonly RecordingLog log = new();

    [TestMethod]
    public void Commit_lands_with_the_exact_message_and_author_and_changes_only_that_file()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var before = remote.Tip("main");

        var result = Writer(remote).Commit(Request(remote.Path), FunctionChange.Replace(WebManifest, OldImage, NewImage));

        Assert.IsTrue(result.Committed);
        Assert.AreEqual("main", result.Branch);
        Assert.AreEqual(1, result.Attempts);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(remote.Tip("main"), result.CommitSha);
        Assert.AreEqual(before, remote.Git("rev-parse", result.CommitSha + "^"), "the tip is the only parent");
        Assert.AreEqual(Message, remote.RawMessage(result.CommitSha!));
        Assert.AreEqual("GitOps Bot <bot@example.com>|GitOps Bot <bot@example.com>", remote.Git("log", "-1", "--format=%an <%ae>|%cn <%ce>", result.CommitSha!));
        Assert.AreEqual(WebManifest, remote.Git("diff", "--name-only", before, result.CommitSha!));
        var expected = Encoding.UTF8.GetBytes(Manifests[WebManifest].Replace(OldImage, NewImage, StringComparison.Ordinal));
        CollectionAssert.AreEqual(expected, remote.Show(result.CommitSha!, WebManifest));

        var change = result.Changes.Single();
        Assert.AreEqual(WebManifest, change.Path);
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(Manifests[WebManifest]), change.OldContent);
        CollectionAssert.AreEqual(expected, change.NewContent);
        Assert.IsTrue(log.Important.Any(line => line.StartsWith("GitOps: pushed ", StringComparison.Ordinal) && line.EndsWith(" s]", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Commit_keeps_the_executable_bit_and_adds_new_files_as_plain_files()
    {
        using var remote = ConfigRemote.Create("main");
        remote.Change("main", "Seed", Manifests, RenderScript);
        var change = new FunctionChange((_, _) => new Dictionary<string, byte[]>
        {
            [RenderScript] = Encoding.UTF8.GetBytes("#!/bin/sh\necho web=bbb2222\n"),
            ["apps/new/kustomization.yaml"] = Encoding.UTF8.GetBytes("resources: []\n"),
        });

        var result = Writer(remote).Commit(Request(remote.Path), change);

        StringAssert.StartsWith(remote.Git("ls-tree", result.CommitSha!, RenderScript), "100755 ");
        StringAssert.StartsWith(remote.Git("ls-tree", result.CommitSha!, "apps/new/kustomization.yaml"), "100644 ");
        CollectionAssert.AreEqual(Array.Empty<byte>(), result.Changes.Single(file => file.Path == "apps/new/kustomization.yaml").OldContent);
    }

    [TestMethod]
    public void A_change_that_is_already_there_commits_nothing()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var before = remote.Tip("main");
        var unchanged = new FunctionChange((tree, _) =>
            tree.TryReadFile(WebManifest, out var content) ? new Dictionary<string, byte[]> { [WebManifest] = content } : []);

        var result = Writer(remote).Commit(Request(remote.Path), unchanged);

        Assert.IsFalse(result.Committed);
        Assert.AreEqual(0, result.Changes.Count);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(before, remote.Tip("main"));
        Assert.AreEqual(1, unchanged.Applications);
    }

    [TestMethod]
    public void Dry_run_reports_the_changes_and_leaves_the_remote_alone()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var before = remote.Tip("main");

        var result = Writer(remote).Commit(Request(remote.Path) with { DryRun = true }, FunctionChange.Replace(WebManifest, OldImage, NewImage));

        Assert.IsFalse(result.Committed);
        Assert.AreEqual(WebManifest, result.Changes.Single().Path);
        Assert.AreEqual(before, remote.Tip("main"));
    }

    [TestMethod]
    public void Without_a_branch_the_remote_default_branch_is_used_and_reported()
    {
        using var remote = ConfigRemote.Create("trunk", Manifests);

        var result = Writer(remote).Commit(Request(remote.Path, branch: null), FunctionChange.Replace(WebManifest, OldImage, NewImage));

        Assert.AreEqual("trunk", result.Branch);
        Assert.AreEqual(remote.Tip("trunk"), result.CommitSha);
    }

    [TestMethod]
    public void A_named_branch_is_updated_and_the_default_branch_is_not()
    {
        using var remote = ConfigRemote.Create("main", Manifests, "staging");
        var mainBefore = remote.Tip("main");

        var result = Writer(remote).Commit(Request("file://" + remote.Path, branch: "staging"), FunctionChange.Replace(WebManifest, OldImage, NewImage));

        Assert.AreEqual("staging", result.Branch);
        Assert.AreEqual(remote.Tip("staging"), result.CommitSha);
        Assert.AreEqual(mainBefore, remote.Tip("main"));
    }

    [TestMethod]
    public void The_tree_reads_files_and_lists_directories_and_reports_missing_files()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var seen = new List<string>();
        var missingFound = true;
        byte[] missingContent = [1];
        var change = new FunctionChange((tree, _) =>
        {
            seen.AddRange(tree.ListFiles("apps").Select(file => file.Path));
            seen.Add("|");
            seen.AddRange(tree.ListFiles("").Select(file => file.Path));
            seen.Add("|");
            seen.AddRange(tree.ListFiles("no/such/dir").Select(file => file.Path));
            missingFound = tree.TryReadFile("apps/missing/deployment.yaml", out missingContent);
            return new Dictionary<string, byte[]>();
        });

        var result = Writer(remote).Commit(Request(remote.Path), change);

        Assert.IsFalse(result.Committed);
        Assert.IsFalse(missingFound);
        Assert.AreEqual(0, missingContent.Length);
        CollectionAssert.AreEqual(
            new[] { ApiManifest, WebManifest, "|", ApiManifest, WebManifest, RenderScript, "|" },
            seen);
    }

    [TestMethod]
    public void A_missing_branch_fails_with_GITOPS022()
    {
        using var remote = ConfigRemote.Create("main", Manifests);

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(remote).Commit(Request(remote.Path, branch: "production"), FunctionChange.Replace(WebManifest, OldImage, NewImage)));

        Assert.AreEqual(Errors.ConfigBranchMissing.Code, error.Code);
        StringAssert.Contains(error.Message, "'production'");
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("main")]
    public void An_empty_repository_fails_with_GITOPS026(string? branch)
    {
        using var remote = ConfigRemote.Create("main");

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(remote).Commit(Request(remote.Path, branch), FunctionChange.Replace(WebManifest, OldImage, NewImage)));

        Assert.AreEqual(Errors.ConfigRepositoryEmpty.Code, error.Code);
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void A_missing_local_repository_fails_with_GITOPS024()
    {
        using var remote = ConfigRemote.Create("main", Manifests);

        foreach (var url in new[] { remote.Path + "-missing", "file://" + remote.Path + "-missing" })
        {
            var error = Assert.ThrowsExactly<GitOpsException>(() => Writer(remote).Commit(Request(url), FunctionChange.Replace(WebManifest, OldImage, NewImage)));
            Assert.AreEqual(Errors.ConfigRepositoryNotFound.Code, error.Code, url);
        }
    }

    [TestMethod]
    [DataRow("git://example.com/team/config.git")]
    [DataRow("ftp://example.com/config.git")]
    public void An_unsupported_scheme_fails_with_GITOPS025_before_cloning(string url)
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var change = FunctionChange.Replace(WebManifest, OldImage, NewImage);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Writer(remote).Commit(Request(url), change));

        Assert.AreEqual(Errors.ConfigRepositorySchemeUnsupported.Code, error.Code);
        Assert.AreEqual(0, change.Applications);
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void Temporary_clones_are_removed_after_success()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var clonesDuringApply = 0;
        var change = FunctionChange.Replace(WebManifest, OldImage, NewImage, _ => clonesDuringApply = Directory.GetDirectories(remote.WorkDirectory).Length);

        Writer(remote).Commit(Request(remote.Path), change);

        Assert.AreEqual(1, clonesDuringApply, "the clone lives in WorkDirectory while the change is applied");
        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void Temporary_clones_are_removed_when_the_change_throws()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var change = new FunctionChange((_, _) => throw new InvalidDataException("manifest is broken"));

        Assert.ThrowsExactly<InvalidDataException>(() => Writer(remote).Commit(Request(remote.Path), change));

        AssertNoClonesLeft(remote);
    }

    [TestMethod]
    public void The_clone_is_bare_and_its_config_never_holds_the_token()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        const string token = "ghp_SecretToken123";
        string? config = null;
        string[] entries = [];
        var change = FunctionChange.Replace(WebManifest, OldImage, NewImage, _ =>
        {
            var clone = Path.Combine(Directory.GetDirectories(remote.WorkDirectory).Single(), ConfigRepositoryClone.GitDirectoryName);
            entries = Directory.GetFileSystemEntries(clone).Select(Path.GetFileName).ToArray()!;
            config = File.ReadAllText(Path.Combine(clone, "config"));
        });

        Writer(remote, new GitCredentials("deploy-bot", token)).Commit(Request(remote.Path), change);

        Assert.IsNotNull(config);
        StringAssert.Contains(config, "bare = true");
        Assert.IsFalse(config.Contains(token, StringComparison.Ordinal), config);
        CollectionAssert.DoesNotContain(entries, "apps", "no working tree is checked out");
    }

    [TestMethod]
    public void Credentials_in_a_URL_never_appear_in_errors()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        const string secret = "s3cr3t-t0ken";
        var writer = Writer(remote, options: new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, PushRetries = 1 });

        // Port 1 refuses connections: libgit2's own message quotes the URL it was given.
        var unreachable = Assert.ThrowsExactly<GitOpsException>(() =>
            writer.Commit(Request($"http://bot:{secret}@127.0.0.1:1/config.git"), FunctionChange.Replace(WebManifest, OldImage, NewImage)));
        var unsupported = Assert.ThrowsExactly<GitOpsException>(() =>
            writer.Commit(Request($"git://bot:{secret}@example.com/config.git"), FunctionChange.Replace(WebManifest, OldImage, NewImage)));

        Assert.AreEqual(Errors.ConfigServerUnreachable.Code, unreachable.Code);
        Assert.AreEqual(Errors.ConfigRepositorySchemeUnsupported.Code, unsupported.Code);
        foreach (var error in new[] { unreachable, unsupported })
            Assert.IsFalse(error.ToString().Contains(secret, StringComparison.Ordinal), error.ToString());
        Assert.IsFalse(log.Important.Concat(log.Detail).Any(line => line.Contains(secret, StringComparison.Ordinal)));
        Assert.AreEqual(1, log.Important.Count(line => line.Contains("unreachable", StringComparison.Ordinal)), "one retry, then the error");
    }

    [TestMethod]
    public void A_spent_timeout_fails_with_GITOPS030_and_cancellation_throws()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var change = FunctionChange.Replace(WebManifest, OldImage, NewImage);

        var timedOut = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(remote, options: new ConfigWriterOptions { Transports = TestTransports.Direct, Timeout = TimeSpan.Zero }).Commit(Request(remote.Path), change));
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            Writer(remote).Commit(Request(remote.Path), change, cancellationToken: new CancellationToken(canceled: true)));

        Assert.AreEqual(Errors.ConfigTimedOut.Code, timedOut.Code);
        Assert.AreEqual(0, change.Applications);
    }

    [TestMethod]
    public void Limits_reached_while_the_change_is_applied_stop_before_the_push()
    {
        using var remote = ConfigRemote.Create("main", Manifests);
        var before = remote.Tip("main");
        using var cancellation = new CancellationTokenSource();
        // The clock moves past the limit only while the change is applied: not before (the clone), whatever the machine's speed.
        var clock = new ManualClock();
        var slowChange = FunctionChange.Replace(WebManifest, OldImage, NewImage, _ => clock.Advance(TimeSpan.FromMinutes(2)));
        var cancellingChange = FunctionChange.Replace(WebManifest, OldImage, NewImage, _ => cancellation.Cancel());

        var timedOut = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(remote, options: new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, Timeout = TimeSpan.FromMinutes(1), Time = clock })
                .Commit(Request(remote.Path), slowChange));
        Assert.ThrowsExactly<OperationCanceledException>(() => Writer(remote).Commit(Request(remote.Path), cancellingChange, cancellationToken: cancellation.Token));

        Assert.AreEqual(Errors.ConfigTimedOut.Code, timedOut.Code);
        Assert.AreEqual(1, slowChange.Applications, "the limit ran out while the change was applied");
        Assert.AreEqual(1, cancellingChange.Applications, "Ctrl+C came while the change was applied");
        Assert.AreEqual(before, remote.Tip("main"));
        AssertNoClonesLeft(remote);
    }

    private ConfigRepositoryWriter Writer(ConfigRemote remote, GitCredentials? credentials = null, ConfigWriterOptions? options = null) =>
        new(credentials, log, options ?? new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory }, Backoff.None);

    internal static ConfigCommitRequest Request(string url, string? branch = "main") =>
        new(ConfigRepositoryLocation.Parse(url), branch, Message, "GitOps Bot", "bot@example.com");

    private static void AssertNoClonesLeft(ConfigRemote remote) => TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
}
