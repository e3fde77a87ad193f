using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;

namespace GitOps.Build.Tests.Forge.Commits;

/// <summary>GitOpsCommitMethod as ReadConfigInputs parses it: the settings that cannot apply when the forge makes the commit are coded errors naming them.</summary>
[TestClass]
public sealed class ApiCommitInputTests
{
    private static ConfigInputText Text(string method, string repository = "https://github.com/team/config.git") => new()
    {
        ConfigRepository = repository,
        CommitAuthorName = "GitOps.Build",
        CommitAuthorEmail = "gitops-build@noreply.localhost",
        CommitMethod = method,
        Manifests = [new ReleaseManifest("apps/web/deployment.yaml", [])],
    };

    private static IReadOnlyList<GitOpsException> Problems(ConfigInputText text, Dictionary<string, string>? environment = null)
    {
        ConfigInputs.Read(text, name => environment?.GetValueOrDefault(name), out var problems);
        return problems;
    }

    [TestMethod]
    public void Api_on_github_com_is_read_with_its_forge()
    {
        var inputs = ConfigInputs.Read(Text("api"), _ => null, out var problems);

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems.Select(p => p.Message)));
        Assert.AreEqual(ConfigCommitMethod.Api, inputs!.CommitMethod);
        Assert.AreEqual(ConfigCommitMethod.Git, ConfigInputs.Read(Text(""), _ => null, out _)!.CommitMethod, "git unless asked");
    }

    [TestMethod]
    public void A_signing_format_cannot_apply_the_forge_signs()
    {
        var problems = Problems(Text("api") with { CommitSigningFormat = "ssh" }, new() { ["GITOPS_SIGNING_KEY"] = "/nonexistent" });

        var refused = problems.Single(p => p.Code == "GITOPS155");
        StringAssert.Contains(refused.Message, "GitOpsCommitSigningFormat");
        StringAssert.Contains(refused.Message, "GitOpsCommitMethod=api");
    }

    [TestMethod]
    [DataRow("https://gitlab.com/team/platform/config.git", DisplayName = "GitLab")]
    [DataRow("https://dev.azure.com/contoso/Fabrikam%20Fiber/_git/config", DisplayName = "Azure DevOps")]
    [DataRow("https://bitbucket.org/team/config.git", DisplayName = "Bitbucket")]
    public void Signing_cannot_apply_on_the_other_forges_either(string repository)
    {
        var problems = Problems(Text("api", repository) with { CommitSigningFormat = "openpgp" }, new() { ["GITOPS_SIGNING_KEY"] = "/nonexistent" });

        StringAssert.Contains(problems.Single(p => p.Code == "GITOPS155").Message, "GitOpsCommitSigningFormat");
        Assert.AreEqual(0, Problems(Text("api", repository)).Count, "api itself is fine there");
    }

    [TestMethod]
    public void A_signing_key_alone_cannot_apply_either()
    {
        var refused = Problems(Text("api") with { CommitSigningKey = "deploy@example.com" }).Single(p => p.Code == "GITOPS155");

        StringAssert.Contains(refused.Message, "GitOpsCommitSigningKey");
    }

    [TestMethod]
    public void An_unknown_method_is_GITOPS016_naming_the_property()
    {
        var refused = Problems(Text("rest")).Single();

        Assert.AreEqual("GITOPS016", refused.Code);
        StringAssert.Contains(refused.Message, "GitOpsCommitMethod");
    }

    [TestMethod]
    public void A_config_repository_with_no_forge_is_refused_before_anything_runs()
    {
        Assert.AreEqual("GITOPS120", Problems(Text("api", "https://git.example.com/team/config.git")).Single().Code);
        Assert.AreEqual("GITOPS120", Problems(Text("api", Path.GetTempPath())).Single().Code);
        Assert.AreEqual(0, Problems(Text("api", "https://git.example.com/team/config.git") with { Forge = "GitHub" }).Count,
            "a self-hosted GitHub named by GitOpsForge");
    }

    [TestMethod]
    public void Every_forge_has_a_commit_writer()
    {
        static ForgeHttp Http(ForgeKind kind) => new(new ForgeRepository(kind, new Uri("https://forge.example/api/"), "team", kind == ForgeKind.AzureDevOps ? "project" : null,
                "config", "https://forge.example/team/config.git"),
            new ForgeCredentials("t", "test"), HttpTransportSettings.Direct, new Deadline(TimeSpan.FromSeconds(5), CancellationToken.None), NullBuildLog.Instance);

        foreach (var kind in Enum.GetValues<ForgeKind>())
        {
            using var writer = ForgeClients.Commits(Http(kind));
            Assert.AreEqual(kind, writer.Repository.Kind);
        }
    }

    [TestMethod]
    public void Signing_cannot_apply_on_a_Gitea_named_by_GitOpsForge_either()
    {
        var gitea = Text("api", "https://gitea.example.com/team/config.git") with { Forge = "Gitea" };

        var problems = Problems(gitea with { CommitSigningFormat = "ssh" }, new() { ["GITOPS_SIGNING_KEY"] = "/nonexistent" });

        StringAssert.Contains(problems.Single(p => p.Code == "GITOPS155").Message, "GitOpsCommitSigningFormat");
        Assert.AreEqual(0, Problems(gitea).Count, "api itself is fine there");
    }
}
