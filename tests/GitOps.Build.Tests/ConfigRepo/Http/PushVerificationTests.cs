using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// A push the server reports as accepted is checked to have moved the branch (GITOPS117 when not), against the real
/// git server, over HTTP and SSH: its repository gets a reference-transaction hook that puts every branch update back once committed, so
/// git receive-pack answers "ok" and the branch stays where it was (what a faulty hook or replica does).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class PushVerificationTests
{
    private const string PutBack = """
        #!/bin/sh
        # Accepts every update, then puts the branch back: receive-pack still reports "ok".
        [ "$1" = committed ] && [ -z "$GITOPS_TEST_PUT_BACK" ] || exit 0
        while read -r old new ref; do
            GITOPS_TEST_PUT_BACK=1 git update-ref "$ref" "$old" "$new"
        done
        """;

    [TestMethod]
    [DataRow("http")]
    [DataRow("ssh")]
    public void A_push_reported_ok_that_did_not_move_the_branch_is_GITOPS117(string transport)
    {
        var environment = TestEnvironment.Require();
        using var repository = ServedRepository.Create(environment, "configrepo-tests");
        var before = repository.Git("rev-parse", "main");
        var hook = Path.Combine(repository.Path, "hooks", "reference-transaction");
        ShellScript.Write(hook, PutBack.ReplaceLineEndings("\n") + "\n");

        var url = transport == "ssh" ? environment.SshRepositoryUrl(repository.Name) : repository.Url(environment.GitHttpBase);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Writer(environment, repository).Commit(ConfigRepositoryWriterTests.Request(url), ReplaceManifest()));

        Assert.AreEqual(Errors.ConfigPushNotApplied.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "is still at " + before[..7]);
        Assert.AreEqual(before, repository.Git("rev-parse", "main"), "the hook put the branch back");
    }

    [TestMethod]
    public void Without_the_hook_the_same_push_is_verified_and_deployed()
    {
        var environment = TestEnvironment.Require();
        using var repository = ServedRepository.Create(environment, "configrepo-tests");

        var result = Writer(environment, repository).Commit(ConfigRepositoryWriterTests.Request(repository.Url(environment.GitHttpBase)), ReplaceManifest());

        Assert.AreEqual(repository.Git("rev-parse", "main"), result.CommitSha);
    }

    private static ConfigRepositoryWriter Writer(TestEnvironment environment, ServedRepository repository) =>
        new(environment.WriterCredentials, NullBuildLog.Instance,
            new ConfigWriterOptions
            {
                Transports = TestTransports.With(ssh: new SshSettings { Key = environment.SshDeployKey, KnownHosts = environment.SshKnownHosts }),
                WorkDirectory = repository.WorkDirectory,
                PushRetries = 0,
            }, Backoff.None);

    private static FunctionChange ReplaceManifest() =>
        new((_, _) => new Dictionary<string, byte[]> { [ServedRepository.Manifest] = Encoding.UTF8.GetBytes(ServedRepository.NewManifest) });
}
