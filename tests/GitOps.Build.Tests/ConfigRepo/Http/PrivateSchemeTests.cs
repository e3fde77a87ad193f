using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// libgit2's transport registry is process-wide, and an MSBuild node may hold other LibGit2Sharp users (another task,
/// another copy of GitOps.Build): ours are registered under private schemes and take nothing from them.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
[DoNotParallelize]
public sealed class PrivateSchemeTests
{
    [TestMethod]
    public void Another_libgit2_user_can_own_https_and_ssh_while_the_writer_deploys()
    {
        var environment = TestEnvironment.Require();
        using var repository = ServedRepository.Create(environment, "configrepo-tests");
        // Someone else's transports for the public schemes: registering them fails if we had taken the schemes.
        var https = GlobalSettings.RegisterSmartSubtransport<ForeignTransport>("https");
        var ssh = GlobalSettings.RegisterSmartSubtransport<ForeignTransport>("ssh");
        var http = GlobalSettings.RegisterSmartSubtransport<ForeignTransport>("http");
        try
        {
            var writer = new ConfigRepositoryWriter(environment.WriterCredentials, NullBuildLog.Instance,
                new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = repository.WorkDirectory, PushRetries = 0 });

            var result = writer.Commit(ConfigRepositoryWriterTests.Request(repository.Url(environment.GitHttpBase)),
                new FunctionChange((_, _) => new Dictionary<string, byte[]> { [ServedRepository.Manifest] = Encoding.UTF8.GetBytes(ServedRepository.NewManifest) }));

            Assert.AreEqual(repository.Tip(), result.CommitSha);
            Assert.AreEqual(0, ForeignTransport.Calls, "the other user's transport saw none of our traffic");
        }
        finally
        {
            GlobalSettings.UnregisterSmartSubtransport(https);
            GlobalSettings.UnregisterSmartSubtransport(ssh);
            GlobalSettings.UnregisterSmartSubtransport(http);
        }
    }

    [TestMethod]
    public void A_private_url_carries_the_users_url_whole_and_is_refused_when_it_is_not_ours()
    {
        const string url = "ssh://git@example.com:2222/~/team/config.git";

        Assert.AreEqual(url, PrivateScheme.Unwrap(PrivateScheme.Wrap("ssh", url)));
        Assert.IsFalse(PrivateScheme.For("https") is "https" or "http" or "ssh");
        Assert.ThrowsExactly<InvalidOperationException>(() => PrivateScheme.Unwrap("https://example.com/config.git"));
    }

    private sealed class ForeignTransport : RpcSmartSubtransport
    {
        public static int Calls;

        protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("not ours");
        }
    }
}
