using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict.ArgoCd;

namespace GitOps.Build.Tests.Verdict;

[TestClass]
public sealed class ArgoCdSettingsTests
{
    [TestMethod]
    [DataRow("argocd.example.com", "https://argocd.example.com/")]
    [DataRow("argocd.example.com:8443", "https://argocd.example.com:8443/")]
    [DataRow("https://argocd.example.com", "https://argocd.example.com/")]
    [DataRow("https://example.com/argocd/", "https://example.com/argocd/")]
    [DataRow("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    public void The_server_is_a_URL_and_a_bare_host_means_https(string value, string expected) =>
        Assert.AreEqual(expected, ArgoCdSettings.ParseServer(value).ToString());

    [TestMethod]
    [DataRow("ftp://argocd.example.com")]
    [DataRow("https://user:secret@argocd.example.com")]
    [DataRow("https://argocd.example.com/?x=1")]
    [DataRow("argo cd")]
    public void Anything_else_is_GITOPS137_without_its_credentials(string value)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => ArgoCdSettings.ParseServer(value));

        Assert.AreEqual("GITOPS137", error.Code);
        Assert.IsFalse(error.Message.Contains("secret", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Applications_are_names_or_project_slash_name()
    {
        var names = ArgoCdSettings.ParseApplications(" shop-prod ; shop/shop-staging;;");

        CollectionAssert.AreEqual(new[] { new ArgoCdApplicationName(null, "shop-prod"), new ArgoCdApplicationName("shop", "shop-staging") }, names.ToArray());
        Assert.AreEqual("GITOPS139", Assert.ThrowsExactly<GitOpsException>(() => ArgoCdSettings.ParseApplications("a/b/c")).Code);
        Assert.AreEqual("GITOPS139", Assert.ThrowsExactly<GitOpsException>(() => ArgoCdSettings.ParseApplications("Shop Prod")).Code);
    }

    [TestMethod]
    public void No_application_is_no_Argo_CD_source_and_a_missing_variable_is_GITOPS138_naming_it()
    {
        Assert.IsNull(ArgoCdSettings.From("", false, _ => null));
        var noServer = Assert.ThrowsExactly<GitOpsException>(() => ArgoCdSettings.From("shop-prod", false, _ => null));
        var noToken = Assert.ThrowsExactly<GitOpsException>(() => ArgoCdSettings.From("shop-prod", false,
            name => name == ArgoCdSettings.ServerVariable ? "argocd.example.com" : null));

        Assert.AreEqual("GITOPS138", noServer.Code);
        StringAssert.Contains(noServer.Message, "GITOPS_ARGOCD_SERVER is not");
        StringAssert.Contains(noToken.Message, "GITOPS_ARGOCD_TOKEN is not");
    }

    [TestMethod]
    public void The_settings_never_print_the_token()
    {
        var settings = ArgoCdSettings.From("shop-prod", false, name => name == ArgoCdSettings.ServerVariable ? "argocd.example.com" : "s3cr3t-token\n")!;

        Assert.AreEqual("s3cr3t-token", settings.Token, "a pasted newline is trimmed");
        Assert.IsFalse(settings.ToString().Contains("s3cr3t", StringComparison.Ordinal));
    }
}
