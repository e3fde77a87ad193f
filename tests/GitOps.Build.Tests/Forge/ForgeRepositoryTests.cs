using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;

namespace GitOps.Build.Tests.Forge;

[TestClass]
public sealed class ForgeRepositoryTests
{
    private static ForgeRepository Parse(string url, string? forge = null, string? api = null) =>
        ForgeRepository.Parse(ConfigRepositoryLocation.Parse(url), forge, api);

    [TestMethod]
    [DataRow("https://github.com/team/config.git", "GitHub", "https://api.github.com/", "team", null, "config")]
    [DataRow("git@github.com:team/config.git", "GitHub", "https://api.github.com/", "team", null, "config")]
    [DataRow("ssh://git@ssh.github.com:443/team/config", "GitHub", "https://api.github.com/", "team", null, "config")]
    [DataRow("https://gitlab.com/group/sub/config.git", "GitLab", "https://gitlab.com/api/v4/", "group/sub", null, "config")]
    [DataRow("git@gitlab.com:group/sub/deeper/config.git", "GitLab", "https://gitlab.com/api/v4/", "group/sub/deeper", null, "config")]
    [DataRow("https://dev.azure.com/contoso/Shop/_git/config", "AzureDevOps", "https://dev.azure.com/contoso/", "contoso", "Shop", "config")]
    [DataRow("https://contoso@dev.azure.com/contoso/Shop/_git/config", "AzureDevOps", "https://dev.azure.com/contoso/", "contoso", "Shop", "config")]
    [DataRow("git@ssh.dev.azure.com:v3/contoso/Shop/config", "AzureDevOps", "https://dev.azure.com/contoso/", "contoso", "Shop", "config")]
    [DataRow("https://contoso.visualstudio.com/DefaultCollection/Shop/_git/config", "AzureDevOps", "https://contoso.visualstudio.com/", "contoso", "Shop", "config")]
    [DataRow("https://bitbucket.org/workspace/config.git", "Bitbucket", "https://api.bitbucket.org/2.0/", "workspace", null, "config")]
    [DataRow("git@bitbucket.org:workspace/config.git", "Bitbucket", "https://api.bitbucket.org/2.0/", "workspace", null, "config")]
    public void The_forge_its_API_root_and_the_repository_come_from_the_URL(string url, string kind, string api, string owner, string? project, string name)
    {
        var repository = Parse(url);

        Assert.AreEqual(Enum.Parse<ForgeKind>(kind), repository.Kind);
        Assert.AreEqual(api, repository.ApiRoot.ToString());
        Assert.AreEqual(owner, repository.Owner);
        Assert.AreEqual(project, repository.Project);
        Assert.AreEqual(name, repository.Name);
    }

    [TestMethod]
    [DataRow("https://ghe.example.com/team/config.git", "GitHub", "https://ghe.example.com/api/v3/")]
    [DataRow("https://gitlab.example.com/a/b/config.git", "gitlab", "https://gitlab.example.com/api/v4/")]
    [DataRow("https://gitea.example.com:3000/team/config.git", "Gitea", "https://gitea.example.com:3000/api/v1/")]
    [DataRow("https://tfs.example.com/tfs/DefaultCollection/Shop/_git/config", "AzureDevOps", "https://tfs.example.com/tfs/DefaultCollection/")]
    public void A_self_hosted_forge_named_by_GitOpsForge_has_its_API_under_the_web_origin(string url, string forge, string api)
    {
        Assert.AreEqual(api, Parse(url, forge).ApiRoot.ToString());
    }

    [TestMethod]
    public void GitOpsForgeApiUrl_overrides_the_inferred_root_and_GraphQL_sits_beside_it()
    {
        var enterprise = Parse("git@ghe.example.com:team/config.git", "GitHub", "https://ghe.example.com/api/v3");
        var cloud = Parse("https://github.com/team/config.git");

        Assert.AreEqual("https://ghe.example.com/api/v3/", enterprise.ApiRoot.ToString());
        Assert.AreEqual("https://ghe.example.com/api/graphql", enterprise.GraphQlEndpoint.ToString());
        Assert.AreEqual("https://api.github.com/graphql", cloud.GraphQlEndpoint.ToString());
    }

    [TestMethod]
    [DataRow("https://git.example.com/team/config.git", null, null, "GITOPS120")]
    [DataRow("git@git.example.com:team/config.git", "Gitea", null, "GITOPS121")]
    [DataRow("https://git.example.com/team/config.git", "Bitbucket", null, "GITOPS121")]
    [DataRow("https://github.com/team/config.git", null, "ftp://example.com", "GITOPS122")]
    [DataRow("https://github.com/team/config.git", null, "https://user:secret@example.com/api", "GITOPS122")]
    [DataRow("https://github.com/config.git", null, null, "GITOPS123")]
    [DataRow("https://dev.azure.com/contoso/config", null, null, "GITOPS123")]
    [DataRow("https://github.com/team/config.git", "Gogs", null, "GITOPS016")]
    public void What_cannot_be_inferred_or_parsed_is_a_coded_error(string url, string? forge, string? api, string code)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Parse(url, forge, api));

        Assert.AreEqual(code, error.Code);
        Assert.IsFalse(error.Message.Contains("secret", StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    public void A_local_config_repository_needs_the_forge_and_its_API_named()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-forge-");
        try
        {
            Assert.AreEqual("GITOPS120", Assert.ThrowsExactly<GitOpsException>(() => Parse(directory.FullName)).Code);
            var named = Parse(Path.Combine(directory.FullName), "GitHub", "http://127.0.0.1:1/api/v3/");
            Assert.AreEqual(directory.Name, named.Name);
        }
        finally
        {
            directory.Delete();
        }
    }
}
