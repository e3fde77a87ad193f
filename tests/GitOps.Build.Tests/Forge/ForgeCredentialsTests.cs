using System.Text;
using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge;

/// <summary>The Authorization header each forge's API gets, and which variable the token comes from.</summary>
[TestClass]
public sealed class ForgeCredentialsTests
{
    private static string Header(string token, ForgeKind kind, string? user = null) =>
        new ForgeCredentials(token, ForgeCredentials.TokenVariable, user).AuthorizationFor(kind).ToString();

    [TestMethod]
    public void Azure_DevOps_takes_a_PAT_as_basic_and_the_pipelines_System_AccessToken_as_bearer()
    {
        // A PAT: basic with an empty user name (git.json's accessToken scheme). System.AccessToken is an OAuth access
        // token, a JWT: Azure Pipelines' documentation sends it as "Authorization: Bearer $(System.AccessToken)".
        Assert.AreEqual("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":patpatpat")), Header("patpatpat", ForgeKind.AzureDevOps));
        Assert.AreEqual("Bearer " + AzureDevOpsContract.PipelineToken, Header(AzureDevOpsContract.PipelineToken, ForgeKind.AzureDevOps));
        Assert.AreEqual("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":a.b.c")), Header("a.b.c", ForgeKind.AzureDevOps), "dots alone do not make a JWT");
    }

    [TestMethod]
    public void The_other_forges_keep_their_schemes_whatever_the_token_looks_like()
    {
        Assert.AreEqual("Bearer " + AzureDevOpsContract.PipelineToken, Header(AzureDevOpsContract.PipelineToken, ForgeKind.GitHub));
        Assert.AreEqual("token t", Header("t", ForgeKind.Gitea));
        Assert.AreEqual("Bearer t", Header("t", ForgeKind.GitLab));
        Assert.AreEqual("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("me:t")), Header("t", ForgeKind.Bitbucket, "me"));
    }

    [TestMethod]
    public void A_pipeline_maps_System_AccessToken_to_GITOPS_FORGE_TOKEN_and_git_keeps_GITOPS_TOKEN()
    {
        var variables = new Dictionary<string, string?>
        {
            ["SYSTEM_ACCESSTOKEN"] = AzureDevOpsContract.PipelineToken,
            ["GITOPS_FORGE_TOKEN"] = AzureDevOpsContract.PipelineToken + "\n",
            ["GITOPS_TOKEN"] = "git-token",
        };

        var credentials = ForgeCredentials.FromEnvironment(name => variables.GetValueOrDefault(name))!;

        Assert.AreEqual(ForgeCredentials.ForgeTokenVariable, credentials.Source);
        Assert.AreEqual("Bearer " + AzureDevOpsContract.PipelineToken, credentials.AuthorizationFor(ForgeKind.AzureDevOps).ToString());
        Assert.IsFalse(credentials.ToString().Contains(AzureDevOpsContract.PipelineToken, StringComparison.Ordinal));
    }
}
