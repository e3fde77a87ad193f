using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class DeployWaitOptionsTests
{
    [TestMethod]
    public void Off_is_no_options_whatever_else_is_set()
    {
        Assert.IsNull(DeployWaitOptions.Read(null, "0", "x", "Bad Name", "maybe", null, null));
        Assert.IsNull(DeployWaitOptions.Read("false", null, "kustomization/*", null, null, null, null));
    }

    [TestMethod]
    public void On_it_parses_every_source_with_the_defaults()
    {
        var options = DeployWaitOptions.Read("True", null, " kustomization/apps* ; continuous-delivery/* ", "shop-prod;shop/shop-canary", null, "GitHub", null)!;

        CollectionAssert.AreEqual(new[] { "kustomization/apps*", "continuous-delivery/*" }, options.StatusContexts.Select(p => p.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "shop-prod", "shop/shop-canary" }, options.ArgoCdApplications.Select(a => a.ToString()).ToArray());
        Assert.AreEqual(TimeSpan.FromSeconds(600), options.Timeout, "GitOpsWaitTimeout defaults to 600 s");
        Assert.IsFalse(options.ArgoCdRefresh);
        Assert.AreEqual("GitHub", options.Forge);
        Assert.AreEqual(TimeSpan.FromSeconds(900), DeployWaitOptions.Read("true", "900", null, "a", "true", null, null)!.Timeout);
        Assert.IsTrue(DeployWaitOptions.Read("true", null, null, "a", "true", null, null)!.ArgoCdRefresh);
    }

    [TestMethod]
    public void Each_bad_setting_is_its_code_naming_the_property()
    {
        static GitOpsException Bad(string? timeout = null, string? contexts = "a/*", string? applications = null, string? refresh = null) =>
            Assert.ThrowsExactly<GitOpsException>(() => DeployWaitOptions.Read("true", timeout, contexts, applications, refresh, null, null));

        Assert.AreEqual("GITOPS142", Bad(contexts: " ; ").Code);
        Assert.AreEqual("GITOPS139", Bad(applications: "a/b/c").Code);
        foreach (var timeout in new[] { "0", "86401", "ten", "-5" })
        {
            var error = Bad(timeout: timeout);
            Assert.AreEqual("GITOPS037", error.Code);
            StringAssert.Contains(error.Message, "GitOpsWaitTimeout");
        }
        Assert.AreEqual("GITOPS008", Bad(refresh: "maybe").Code);
        StringAssert.Contains(Bad(contexts: "a/*\nb").Message, "GitOpsDeployStatusContexts");
        Assert.AreEqual("GITOPS008", Assert.ThrowsExactly<GitOpsException>(() => DeployWaitOptions.Read("yes please", null, "a", null, null, null, null)).Code);
    }
}
