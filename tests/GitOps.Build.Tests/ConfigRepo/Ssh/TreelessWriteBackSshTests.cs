using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>
/// The treeless write-back over SSH (<see cref="TreelessWriteBackTests"/>), against the real sshd of build/env (which
/// passes GIT_PROTOCOL on, so git speaks protocol v2): the same exchanges as over HTTP. Inconclusive without that server
/// (fails when CI=true).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class TreelessWriteBackSshTests : TreelessWriteBackTests
{
    [TestMethod]
    public void A_read_only_key_fetches_treeless_and_is_refused_at_the_push_with_GITOPS084()
    {
        var error = RefusedAtThePush(() => Writer(Log, new SshSettings { Key = Environment.SshReadonlyKey, KnownHosts = Environment.SshKnownHosts }));

        Assert.AreEqual(Errors.SshPushRefused.Code, error.Code, error.ToString());
        StringAssert.Contains(error.Message, "read only");
    }

    private protected override TestEnvironment RequireEnvironment() => TestEnvironment.RequireSsh();

    private protected override string Folder => "treeless-ssh-tests";

    private protected override string Url(ServedRepository repository) => Environment.SshRepositoryUrl(repository.Name);

    private protected override ConfigRepositoryWriter Writer(RecordingLog into) =>
        Writer(into, new SshSettings { Key = Environment.SshDeployKey, KnownHosts = Environment.SshKnownHosts });

    private ConfigRepositoryWriter Writer(RecordingLog into, SshSettings ssh) =>
        new(null, into, new ConfigWriterOptions { WorkDirectory = Repository.WorkDirectory, PushRetries = 3, Transports = TestTransports.With(ssh: ssh) }, Backoff.None);
}
