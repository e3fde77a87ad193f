using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>Which proxy and which CAs, read from the environment as git (curl) reads it.</summary>
[TestClass]
public sealed class HttpTransportSettingsTests
{
    private static readonly Uri Https = new("https://git.example.com/team/config.git");
    private static readonly Uri Http = new("http://git.example.com/team/config.git");

    [TestMethod]
    public void Without_proxy_variables_every_request_goes_direct()
    {
        var settings = Read([]);

        Assert.AreSame(HttpTransportSettings.Direct, settings);
    }

    [TestMethod]
    public void https_proxy_serves_https_URLs_and_only_the_lower_case_http_proxy_serves_http_URLs()
    {
        var proxy = Read(new() { ["HTTPS_PROXY"] = "http://secure:3128", ["HTTP_PROXY"] = "http://ignored:3128" }).Proxy!.ToWebProxy();

        Assert.AreEqual("http://secure:3128/", proxy.GetProxy(Https)?.ToString());
        Assert.IsNull(proxy.GetProxy(Http), "HTTP_PROXY in capitals is ignored, as curl ignores it (httpoxy)");

        var lower = Read(new() { ["http_proxy"] = "plain:8080" }).Proxy!.ToWebProxy();
        Assert.AreEqual("http://plain:8080/", lower.GetProxy(Http)?.ToString());
    }

    [TestMethod]
    public void all_proxy_serves_both_schemes_and_no_proxy_names_hosts_domains_and_host_ports()
    {
        var proxy = Read(new() { ["ALL_PROXY"] = "http://proxy:3128", ["NO_PROXY"] = ".internal.example, localhost, 10.0.0.1, git.example.org:8443" }).Proxy!.ToWebProxy();

        Assert.IsFalse(proxy.IsBypassed(Https));
        Assert.IsFalse(proxy.IsBypassed(Http));
        Assert.IsTrue(proxy.IsBypassed(new Uri("https://git.internal.example/x.git")));
        Assert.IsTrue(proxy.IsBypassed(new Uri("https://internal.example/x.git")));
        Assert.IsTrue(proxy.IsBypassed(new Uri("http://localhost:8081/x.git")));
        Assert.IsTrue(proxy.IsBypassed(new Uri("http://10.0.0.1/x.git")));
        Assert.IsTrue(proxy.IsBypassed(new Uri("https://git.example.org:8443/x.git")));
        Assert.IsFalse(proxy.IsBypassed(new Uri("https://git.example.org/x.git")));
        Assert.IsTrue(Read(new() { ["https_proxy"] = "proxy:1", ["no_proxy"] = "*" }).Proxy!.ToWebProxy().IsBypassed(Https));
    }

    [TestMethod]
    public void Proxy_credentials_go_to_the_proxy_handler_and_never_into_its_address_or_text()
    {
        var settings = Read(new() { ["https_proxy"] = "http://me:p%40ss@proxy:3128" });
        var proxy = settings.Proxy!.ToWebProxy();

        var credential = proxy.Credentials!.GetCredential(new Uri("http://proxy:3128"), "Basic")!;
        Assert.AreEqual("me", credential.UserName);
        Assert.AreEqual("p@ss", credential.Password);
        Assert.AreEqual("http://proxy:3128/", proxy.GetProxy(Https)?.ToString());
        Assert.IsFalse(settings.ToString().Contains("p%40ss", StringComparison.Ordinal), settings.ToString());
    }

    [TestMethod]
    public void Equal_environments_give_equal_settings_so_one_pooled_client_serves_them()
    {
        var variables = new Dictionary<string, string> { ["https_proxy"] = "http://me:secret@proxy:3128" };

        Assert.AreEqual(Read(variables), Read(variables));
        Assert.AreNotEqual(Read(variables), Read(new() { ["https_proxy"] = "http://me:other@proxy:3128" }));
    }

    [TestMethod]
    [DataRow("ftp://proxy:21")]
    [DataRow("http://")]
    [DataRow("not a url at all")]
    public void A_proxy_variable_that_is_not_a_URL_fails_with_GITOPS094(string value)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Read(new() { ["https_proxy"] = value }));

        Assert.AreEqual(Errors.ProxyUrlInvalid.Code, error.Code);
        StringAssert.Contains(error.Message, "https_proxy");
    }

    [TestMethod]
    public void A_CA_bundle_that_is_missing_or_not_PEM_fails_with_GITOPS092()
    {
        var notPem = Path.GetTempFileName();
        File.WriteAllText(notPem, "hello");
        try
        {
            foreach (var path in new[] { "/nonexistent/ca.pem", notPem })
            {
                var error = Assert.ThrowsExactly<GitOpsException>(() => Read(new() { ["GITOPS_CA_BUNDLE"] = path }), path);
                Assert.AreEqual(Errors.CaBundleUnreadable.Code, error.Code);
                StringAssert.Contains(error.Message, "GITOPS_CA_BUNDLE");
            }
        }
        finally
        {
            File.Delete(notPem);
        }
    }

    private static HttpTransportSettings Read(Dictionary<string, string> variables) =>
        HttpTransportSettings.FromEnvironment(name => variables.GetValueOrDefault(name));
}
