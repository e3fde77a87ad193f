using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo;
using GitOps.Build.Tests.Signing;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// GitOpsRollbackOnFailure's write over smart HTTP with the token (the git server of build/env): a depth-2 look at
/// the branch, the signed revert pushed onto the deploy commit and verified on the server with `git verify-commit`;
/// a moved branch and a lost push race refused with GITOPS160, the server's repository untouched and sound.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class DeployRollbackHttpTests
{
    private readonly RecordingLog log = new();
    private readonly TestKeys keys = new();
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;

    [TestInitialize]
    public void CreateRepository()
    {
        environment = TestEnvironment.Require();
        repository = ServedRepository.Create(environment, "rollback-tests");
    }

    [TestCleanup]
    public void DeleteRepository()
    {
        repository?.Dispose();
        keys.Dispose();
    }

    [TestMethod]
    public void The_signed_revert_of_the_deploy_commit_is_pushed_over_HTTP_and_verified_on_the_server()
    {
        var before = repository.Tip();
        var deploy = Deploy();
        var (signing, verify) = keys.SigningPair("openpgp");

        RollbackResult result;
        using (var signer = signing.CreateSigner(TimeSpan.FromMinutes(1), repository.WorkDirectory))
            result = Rollback(deploy, signer);

        Assert.AreEqual(result.RevertCommit, repository.Tip());
        Assert.AreEqual(deploy, repository.Git("rev-parse", "main^"));
        Assert.AreEqual(repository.Git("rev-parse", before + "^{tree}"), repository.Git("rev-parse", "main^{tree}"));
        var verified = verify(repository.Path, result.RevertCommit);
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        Assert.AreEqual("", repository.Git("fsck", "--no-dangling"));
        Assert.IsFalse(string.Join("\n", log.Important.Concat(log.Detail)).Contains(environment.GitToken, StringComparison.Ordinal));
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_branch_that_moved_on_is_refused_with_GITOPS160_over_HTTP()
    {
        var deploy = Deploy();
        repository.PushCompetingCommit();
        var later = repository.Tip();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Rollback(deploy));

        Assert.AreEqual(Errors.RollbackBranchMoved, error.Error);
        StringAssert.Contains(error.Message, repository.Url(environment.GitHttpBase));
        Assert.AreEqual(later, repository.Tip());
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_lost_push_race_over_HTTP_is_refused_with_GITOPS160_and_leaves_the_server_as_the_competitor_left_it()
    {
        var deploy = Deploy();
        var raced = false;
        var racing = new RecordingLog
        {
            OnLine = line =>
            {
                if (line.StartsWith("GitOps: cloned ", StringComparison.Ordinal) && !raced)
                {
                    raced = true;
                    repository.PushCompetingCommit();
                }
            },
        };

        var error = Assert.ThrowsExactly<GitOpsException>(() => Rollback(deploy, log: racing));

        Assert.AreEqual(Errors.RollbackBranchMoved, error.Error, error.Message);
        Assert.IsTrue(raced);
        Assert.AreEqual(deploy, repository.Git("rev-parse", "main^"), "the competitor's commit is the tip, on the deploy commit");
        StringAssert.Contains(repository.Git("log", "-1", "--format=%s", "main"), "deploy(api)");
        Assert.AreEqual("", repository.Git("log", "--all", "--grep=This reverts commit", "--format=%H"));
        Assert.AreEqual("", repository.Git("fsck", "--no-dangling"));
        repository.AssertNoClonesLeft();
    }

    /// <summary>The deploy commit, written by the writer over HTTP as a publish writes it.</summary>
    private string Deploy()
    {
        var result = new ConfigRepositoryWriter(Credentials(), new RecordingLog(), Options(null), Backoff.None)
            .Commit(ConfigRepositoryWriterTests.Request(Url()) with { Message = "Deploy web:bbb2222\n\nGitOps-Image: registry.example.com/web:bbb2222\n" },
                ServedRepository.ReplaceManifest());
        Assert.AreEqual(result.CommitSha, repository.Tip());
        return result.CommitSha!;
    }

    private RollbackResult Rollback(string deploy, ICommitSigner? signer = null, RecordingLog? log = null) =>
        new DeployRollback(Credentials(), log ?? this.log, Options(signer)).Revert(new RollbackRequest(ConfigRepositoryLocation.Parse(Url()), "main", deploy,
            "Argo CD app web is Degraded", "GitOps Bot", "bot@example.com"));

    private ConfigWriterOptions Options(ICommitSigner? signer) =>
        new() { Transports = TestTransports.Direct, WorkDirectory = repository.WorkDirectory, Signer = signer, PushRetries = 3 };

    private GitCredentials Credentials() => new(environment.GitUsername, environment.GitToken);

    private string Url() => repository.Url(environment.GitHttpBase);
}
