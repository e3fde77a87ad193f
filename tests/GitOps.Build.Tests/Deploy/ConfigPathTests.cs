using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class ConfigPathTests
{
    [TestMethod]
    [DataRow("apps/web/deployment.yaml", "apps/web/deployment.yaml")]
    [DataRow("./apps//web/./deployment.yaml", "apps/web/deployment.yaml")]
    [DataRow(@"apps\web\deployment.yaml", "apps/web/deployment.yaml")]
    [DataRow(" values.yaml ", "values.yaml")]
    public void Relative_paths_are_normalised(string input, string expected) =>
        Assert.AreEqual(expected, ConfigPath.Normalize(input));

    [TestMethod]
    [DataRow("../other/deployment.yaml")]
    [DataRow("apps/../../deployment.yaml")]
    [DataRow("/etc/passwd")]
    [DataRow(@"C:\config\deployment.yaml")]
    [DataRow(".git/config")]
    [DataRow("apps/.GIT/hooks/pre-commit")]
    [DataRow("")]
    [DataRow("./")]
    public void Paths_that_leave_the_repository_fail_with_GITOPS007(string input)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => ConfigPath.Normalize(input));

        Assert.AreEqual("GITOPS007", error.Code);
        StringAssert.Contains(error.Message, "GitOpsManifestPath");
    }
}
