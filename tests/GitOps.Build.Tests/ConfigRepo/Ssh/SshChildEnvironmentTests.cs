using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Tests.Infrastructure;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>
/// ssh, its sharing master (which outlives the clone) and `ssh -O exit` get none of the build's secrets: before, ssh had
/// GITOPS_SIGNING_KEY, GITOPS_SIGNING_PASSPHRASE and the proxy password, `ssh -O exit` GITOPS_TOKEN and GITOPS_SSH_KEY too.
/// Against the real sshd of build/env, through a wrapper that records each ssh's environment (see ChildEnvironmentDump).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
[DoNotParallelize]
public sealed class SshChildEnvironmentTests
{
    [TestMethod]
    public void No_ssh_process_of_a_write_back_gets_a_secret()
    {
        var environment = TestEnvironment.RequireSsh();
        using var repository = ServedRepository.Create(environment, "ssh-environment-tests");
        using var dump = new ChildEnvironmentDump();
        var settings = new SshSettings
        {
            Key = File.ReadAllText(environment.SshDeployKey),
            KnownHosts = environment.SshKnownHosts,
            Program = dump.Wrap("ssh"),
        };
        var writer = new ConfigRepositoryWriter(null, new RecordingLog(),
            new ConfigWriterOptions { WorkDirectory = repository.WorkDirectory, Transports = TestTransports.With(ssh: settings) }, Backoff.None);
        var change = new FunctionChange((_, _) => new Dictionary<string, byte[]> { [ServedRepository.Manifest] = Encoding.UTF8.GetBytes(ServedRepository.NewManifest) });

        var result = writer.Commit(ConfigRepositoryWriterTests.Request(environment.SshRepositoryUrl(repository.Name)), change);

        Assert.IsTrue(result.Committed);
        var runs = dump.Runs("ssh");
        Assert.IsTrue(runs.Count >= 3, $"clone, push and the master's exit ran through the wrapper ({runs.Count})");
        CollectionAssert.Contains(dump.CommandLines("ssh").Select(line => line.Contains("-O exit", StringComparison.Ordinal)).ToList(), true, "ssh -O exit was recorded");
        foreach (var run in runs)
            dump.AssertClean("ssh", run);
    }
}
