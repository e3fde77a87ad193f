using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Signing;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// GitOpsRollbackOnFailure's write against real bare repositories (file transport): the revert of the failed deploy
/// commit lands on top of it with the content from before it, signed when signing is on (checked with `git verify-commit`);
/// a branch that moved on, before the rollback or while it pushes, is refused with GITOPS160 and nothing is pushed.
/// </summary>
[TestClass]
public sealed class DeployRollbackTests
{
    private const string Verdict = "Argo CD app web is Degraded: Deployment default/web: Degraded (Deployment \"web\" exceeded its progress deadline)";
    private const string DeployMessage = "Deploy web:bbb2222\n\nGitOps-Image: registry.example.com/web:bbb2222\nGitOps-Source-Commit: bbb2222\n";

    private readonly TestKeys keys = new();

    [TestCleanup]
    public void DeleteKeys() => keys.Dispose();

    [TestMethod]
    public void The_revert_lands_on_the_deploy_commit_and_writes_back_the_content_from_before_it()
    {
        using var remote = TwoApps.Create();
        var before = remote.Tip("main");
        var deploy = DeployWeb(remote);
        var log = new RecordingLog();

        var result = Rollback(remote, deploy, log);

        Assert.AreEqual(result.RevertCommit, remote.Tip("main"));
        Assert.AreEqual(deploy, remote.Git("rev-parse", result.RevertCommit + "^"), "the revert's only parent is the deploy commit");
        Assert.AreEqual(remote.Git("rev-parse", before + "^{tree}"), remote.Git("rev-parse", result.RevertCommit + "^{tree}"), "the tree from before the deploy");
        Assert.AreEqual("image: registry.example.com/web:aaa1111\n", System.Text.Encoding.UTF8.GetString(remote.Show("main", TwoApps.WebManifest)));
        CollectionAssert.AreEqual(new[] { TwoApps.WebManifest }, result.Files.ToArray());
        Assert.AreEqual(deploy, result.DeployCommit);
        Assert.AreEqual("main", result.Branch);
        Assert.AreEqual(1, result.Attempts);
        StringAssert.Contains(string.Join("\n", log.Important), $"rolled back {deploy[..7]} on 'main'");
        Assert.AreEqual("", remote.Git("fsck", "--no-dangling"));
        TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
    }

    [TestMethod]
    public void The_revert_is_worded_as_git_revert_words_it_with_trailers_naming_the_failed_deploy_and_the_verdict()
    {
        using var remote = TwoApps.Create();
        var deploy = DeployWeb(remote);

        var result = Rollback(remote, deploy, new RecordingLog());

        var message = remote.RawMessage(result.RevertCommit);
        Assert.IsTrue(message.StartsWith($"Revert \"Deploy web:bbb2222\"\n\nThis reverts commit {deploy}.\n", StringComparison.Ordinal), message);
        var trailers = GitTrailers.Parse(message);
        Assert.AreEqual(deploy, trailers[CommitMessage.RollbackOfTrailer]);
        Assert.AreEqual(Verdict, trailers[CommitMessage.RollbackVerdictTrailer]);
        Assert.AreEqual(0, CommitMessage.ReadImages(message).Count, "a revert deploys no image: what-runs-where readers pass over it");
        Assert.AreEqual("GitOps Bot <bot@example.com>", remote.Git("log", "-1", "--format=%an <%ae>", result.RevertCommit));
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void The_revert_is_signed_like_every_config_commit_and_passes_git_verify_commit(string format)
    {
        using var remote = TwoApps.Create();
        var deploy = DeployWeb(remote);
        var (signing, verify) = keys.SigningPair(format);
        RollbackResult result;
        using (var signer = signing.CreateSigner(TimeSpan.FromMinutes(1), remote.WorkDirectory))
            result = Rollback(remote, deploy, new RecordingLog(), signer);

        var verified = verify(remote.Path, result.RevertCommit);
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
    }

    [TestMethod]
    public void An_unsigned_revert_fails_git_verify_commit()
    {
        using var remote = TwoApps.Create();
        var deploy = DeployWeb(remote);
        var (_, verify) = keys.SigningPair("ssh");

        var result = Rollback(remote, deploy, new RecordingLog());

        Assert.IsFalse(verify(remote.Path, result.RevertCommit).Succeeded, "the check above can fail");
    }

    [TestMethod]
    public void A_branch_that_moved_on_since_the_deploy_is_refused_with_GITOPS160_and_nothing_is_pushed()
    {
        using var remote = TwoApps.Create();
        var deploy = DeployWeb(remote);
        var later = TwoApps.DeployApi(remote, "ddd4444");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Rollback(remote, deploy, new RecordingLog()));

        Assert.AreEqual(Errors.RollbackBranchMoved, error.Error);
        StringAssert.Contains(error.Message, $"is at {later[..7]} now, not at {deploy[..7]}");
        StringAssert.Contains(error.Message, "'main'");
        Assert.AreEqual(later, remote.Tip("main"));
        TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
    }

    [TestMethod]
    public void A_branch_rewound_off_the_deploy_commit_is_refused_with_GITOPS160()
    {
        using var remote = TwoApps.Create();
        var before = remote.Tip("main");
        var deploy = DeployWeb(remote);
        remote.Git("update-ref", "refs/heads/main", before);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Rollback(remote, deploy, new RecordingLog()));

        Assert.AreEqual(Errors.RollbackBranchMoved, error.Error);
        Assert.AreEqual(before, remote.Tip("main"));
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(0)]
    public void A_push_that_loses_the_race_refuses_with_GITOPS160_instead_of_reverting_onto_the_new_tip(int pushRetries)
    {
        using var remote = TwoApps.Create();
        var deploy = DeployWeb(remote);
        string? competitor = null;
        // The writer's clone is made (at the deploy commit, which the first look found too): another pipeline pushes now.
        var log = new RecordingLog
        {
            OnLine = line =>
            {
                if (line.StartsWith("GitOps: cloned ", StringComparison.Ordinal) && competitor is null)
                    competitor = TwoApps.DeployApi(remote, "ddd4444");
            },
        };

        var error = Assert.ThrowsExactly<GitOpsException>(() => Rollback(remote, deploy, log, pushRetries: pushRetries));

        Assert.AreEqual(Errors.RollbackBranchMoved, error.Error, error.Message);
        Assert.IsNotNull(competitor);
        Assert.AreEqual(1, log.Detail.Count(line => line.StartsWith("GitOps: committed ", StringComparison.Ordinal)), "the revert was made and its push lost");
        Assert.AreEqual(competitor, remote.Tip("main"), "the competitor's commit stays the tip: no forced push");
        Assert.AreEqual(deploy, remote.Git("rev-parse", "main^"));
        Assert.AreEqual("", remote.Git("log", "--all", "--grep=This reverts commit", "--format=%H"), "no revert anywhere on the remote");
        Assert.AreEqual("", remote.Git("fsck", "--no-dangling"));
        TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
    }

    [TestMethod]
    public void A_deploy_commit_that_adds_a_file_is_not_reverted_by_writing_files_back_GITOPS162()
    {
        using var remote = TwoApps.Create();
        var deploy = remote.Change("main", DeployMessage, new Dictionary<string, string>
        {
            [TwoApps.WebManifest] = "image: registry.example.com/web:bbb2222\n",
            ["apps/web/extra.yaml"] = "kind: ConfigMap\n",
        });

        var error = Assert.ThrowsExactly<GitOpsException>(() => Rollback(remote, deploy, new RecordingLog()));

        Assert.AreEqual(Errors.RollbackNotPossible, error.Error);
        StringAssert.Contains(error.Message, "apps/web/extra.yaml: added");
        Assert.AreEqual(deploy, remote.Tip("main"));
        TemporaryClones.AssertNoneLeft(remote.WorkDirectory);
    }

    [TestMethod]
    public void A_multi_line_verdict_becomes_one_trailer_line_and_a_long_one_is_cut()
    {
        var message = CommitMessage.RenderRollback("Deploy web:bbb2222\n\nbody", "abc", "line one\nline\ttwo\u001b[31m");
        Assert.AreEqual("line one line two [31m", GitTrailers.Parse(message)[CommitMessage.RollbackVerdictTrailer]);

        var longOne = CommitMessage.RenderRollback("Deploy web:bbb2222", "abc", new string('x', 5000));
        var verdict = GitTrailers.Parse(longOne)[CommitMessage.RollbackVerdictTrailer];
        Assert.AreEqual(CommitMessage.MaxVerdictLength, verdict.Length);
        Assert.IsTrue(verdict.EndsWith('…'));
    }

    private static string DeployWeb(ConfigRemote remote) =>
        remote.Change("main", DeployMessage, new Dictionary<string, string> { [TwoApps.WebManifest] = "image: registry.example.com/web:bbb2222\n" });

    private static RollbackResult Rollback(ConfigRemote remote, string deploy, RecordingLog log, ICommitSigner? signer = null, int pushRetries = 3) =>
        new DeployRollback(null, log, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, Signer = signer, PushRetries = pushRetries })
            .Revert(new RollbackRequest(ConfigRepositoryLocation.Parse(remote.Path), "main", deploy, Verdict, "GitOps Bot", "bot@example.com"));
}
