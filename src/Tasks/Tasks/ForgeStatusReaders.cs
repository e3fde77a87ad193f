using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

// Composed here, beside ForgeClients: Forge knows the readers only through IForgeStatusReader, each forge's folder
// implements it.
/// <summary>The status reader of each forge.</summary>
internal static class ForgeStatusReaders
{
    /// <summary>The reader for the repository's forge (it owns <paramref name="http"/>).</summary>
    public static IForgeStatusReader Create(ForgeHttp http) => http.Repository.Kind switch
    {
        ForgeKind.GitHub => new Forge.GitHub.GitHubStatusReader(http),
        ForgeKind.GitLab => new Forge.GitLab.GitLabStatusReader(http),
        ForgeKind.AzureDevOps => new Forge.AzureDevOps.AzureDevOpsStatusReader(http),
        ForgeKind.Gitea => new Forge.Gitea.GiteaStatusReader(http),
        ForgeKind.Bitbucket => new Forge.Bitbucket.BitbucketStatusReader(http),
        var kind => throw new ArgumentOutOfRangeException(nameof(http), kind, "no status reader for this forge"),
    };
}
