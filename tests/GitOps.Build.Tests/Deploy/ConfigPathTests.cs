using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

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

    [TestMethod]
    [DataRow("apps/web/deployment.yaml")]
    [DataRow("./apps//web/./deployment.yaml")]
    [DataRow(@"apps\web\deployment.yaml")]
    [DataRow("apps/**/*.yaml")]
    public void What_Normalize_returns_is_what_a_commit_may_write(string input) =>
        Assert.IsTrue(ConfigPath.IsCanonical(ConfigPath.Normalize(input)));

    [TestMethod]
    [DataRow("apps/../x.yaml")]
    [DataRow("apps/.Git/config")]
    [DataRow("apps//x.yaml")]
    [DataRow("./x.yaml")]
    [DataRow(@"apps\x.yaml")]
    [DataRow("")]
    public void A_path_a_commit_must_not_write_is_refused_by_the_same_rules(string path) =>
        Assert.IsFalse(ConfigPath.IsCanonical(path));

    [TestMethod]
    public void A_glob_is_parsed_once_into_the_folder_it_lists_and_its_pattern()
    {
        var path = new ManifestTarget("./apps//**/overlays/*/kustomization.yaml", new ManifestEditOptions()).Path;

        Assert.AreEqual("apps/**/overlays/*/kustomization.yaml", path.Value);
        Assert.IsTrue(path.IsPattern);
        Assert.AreEqual("apps", path.Directory);
        Assert.IsTrue(path.Matches("apps/web/overlays/staging/kustomization.yaml"));
        Assert.IsTrue(path.Matches("apps/overlays/staging/kustomization.yaml"), "**/ matches no folder too");
        Assert.IsFalse(path.Matches("apps/web/overlays/staging/deep/kustomization.yaml"));
        Assert.IsFalse(path.Matches("other/web/overlays/staging/kustomization.yaml"));
    }

    [TestMethod]
    public void A_file_or_directory_path_is_listed_as_itself_and_matches_nothing()
    {
        var path = new ManifestTarget("apps/web", new ManifestEditOptions()).Path;

        Assert.IsFalse(path.IsPattern);
        Assert.AreEqual("apps/web", path.Directory);
        Assert.IsFalse(path.Matches("apps/web"));
    }

    [TestMethod]
    public void A_control_character_in_the_path_is_refused_when_the_path_is_read_not_at_each_deploy()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => new ManifestTarget("apps/web\0.yaml", new ManifestEditOptions()));

        Assert.AreEqual("GITOPS035", error.Code);
        StringAssert.Contains(error.Message, "GitOpsManifestPath");
    }
}
