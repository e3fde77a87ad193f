using System.Text;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// The corporate way to a config repository: nginx over TLS with a certificate from a CA the environment made
/// (build/env/tls.sh), and a real forward proxy with basic auth (squid, build/env/proxy.sh) whose log shows what it
/// forwarded. Settings come from a variable table, as the task reads them from the environment.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class TlsAndProxyTests
{
    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;

    [TestInitialize]
    public void CreateRepository()
    {
        environment = TestEnvironment.Require();
        repository = ServedRepository.Create(environment, "configrepo-tests");
    }

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    [TestMethod]
    public void Https_with_the_private_CA_in_GITOPS_CA_BUNDLE_is_cloned_committed_and_pushed()
    {
        var result = Deploy(environment.GitHttpsBase, new() { ["GITOPS_CA_BUNDLE"] = environment.GitCaBundle });

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
    }

    [TestMethod]
    public void Https_with_a_private_CA_that_is_not_trusted_fails_with_GITOPS090_naming_GITOPS_CA_BUNDLE()
    {
        var tip = repository.Tip();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(environment.GitHttpsBase, []));

        Assert.AreEqual(Errors.CertificateUntrusted.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "GITOPS_CA_BUNDLE");
        StringAssert.Matches(error.Message, new System.Text.RegularExpressions.Regex(@"not trusted \((PartialChain|UntrustedRoot)"));
        Assert.AreEqual(tip, repository.Tip());
    }

    [TestMethod]
    public void A_certificate_for_another_host_fails_with_GITOPS091_even_from_a_trusted_CA()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Deploy(environment.GitHttpsWrongHostBase, new() { ["GITOPS_CA_BUNDLE"] = environment.GitCaBundle }));

        Assert.AreEqual(Errors.CertificateNameMismatch.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "git.example.com");
    }

    [TestMethod]
    public void Http_through_the_proxy_with_credentials_deploys_and_the_proxy_log_shows_every_request()
    {
        var result = Deploy(environment.GitHttpBase, new() { ["http_proxy"] = environment.ProxyUrlWithCredentials });

        Assert.IsTrue(result.Committed);
        var forwarded = ProxyRequestsFor(repository.Name);
        Assert.IsTrue(forwarded.Any(line => line.Contains("GET http://") && line.Contains("info/refs?service=git-upload-pack")), string.Join("\n", forwarded));
        Assert.IsTrue(forwarded.Any(line => line.Contains("POST http://") && line.Contains("/git-receive-pack")), string.Join("\n", forwarded));
        Assert.IsFalse(forwarded.Any(line => line.Contains("TCP_DENIED/407")), "the proxy credentials go with each request:\n" + string.Join("\n", forwarded));
    }

    [TestMethod]
    public void Https_through_the_proxy_tunnels_with_CONNECT_and_trusts_the_private_CA()
    {
        var before = File.ReadAllLines(environment.ProxyLog).Length;

        var result = Deploy(environment.GitHttpsBase, new()
        {
            ["HTTPS_PROXY"] = environment.ProxyUrlWithCredentials,
            ["GITOPS_CA_BUNDLE"] = environment.GitCaBundle,
        });

        Assert.IsTrue(result.Committed);
        var https = new Uri(environment.GitHttpsBase);
        Assert.IsTrue(File.ReadAllLines(environment.ProxyLog).Skip(before).Any(line => line.Contains($"CONNECT {https.Host}:{https.Port}")));
    }

    [TestMethod]
    public void A_wrong_proxy_password_fails_with_GITOPS093_and_pushes_nothing()
    {
        var tip = repository.Tip();
        var wrong = environment.ProxyUrl.Replace("http://", $"http://{environment.ProxyUser}:not-the-password@", StringComparison.Ordinal);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(environment.GitHttpBase, new() { ["http_proxy"] = wrong }));

        Assert.AreEqual(Errors.ProxyAuthenticationFailed.Code, error.Code, error.Message);
        Assert.IsFalse(error.Message.Contains("not-the-password", StringComparison.Ordinal));
        Assert.AreEqual(tip, repository.Tip());
    }

    [TestMethod]
    public void A_host_in_no_proxy_is_reached_directly()
    {
        var result = Deploy(environment.GitHttpBase, new()
        {
            ["http_proxy"] = "http://127.0.0.1:9", // nothing listens there: going through it would fail
            ["no_proxy"] = "example.com, 127.0.0.1",
        });

        Assert.IsTrue(result.Committed);
    }

    private ConfigCommitResult Deploy(string gitBase, Dictionary<string, string> variables)
    {
        var writer = new ConfigRepositoryWriter(environment.WriterCredentials, NullBuildLog.Instance, new ConfigWriterOptions
        {
            Timeout = TimeSpan.FromSeconds(60),
            WorkDirectory = repository.WorkDirectory,
            PushRetries = 0,
            Transports = TestTransports.With(http: HttpTransportSettings.FromEnvironment(name => variables.GetValueOrDefault(name))),
        });
        return writer.Commit(ConfigRepositoryWriterTests.Request(repository.Url(gitBase)),
            new FunctionChange((_, _) => new Dictionary<string, byte[]> { [ServedRepository.Manifest] = Encoding.UTF8.GetBytes(ServedRepository.NewManifest) }));
    }

    private List<string> ProxyRequestsFor(string repository) =>
        File.ReadAllLines(environment.ProxyLog).Where(line => line.Contains(repository + ".git")).ToList();

}
