using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge.AzureDevOps;
using GitOps.Build.Forge.Bitbucket;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Forge.GitLab;
using GitOps.Build.Forge.Gitea;

using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

/// <summary>The client of each forge, all on the same <see cref="ForgeHttp"/>: composed here, as the git transports are, so Forge knows its clients only through IForgeClient.</summary>
internal static class ForgeClients
{
    /// <summary>The client for the repository's forge with these credentials, on the git transport's HTTP settings.</summary>
    public static IForgeClient Connect(ForgeRepository repository, ForgeCredentials credentials, HttpTransportSettings settings, Deadline deadline, IBuildLog log) =>
        Create(new ForgeHttp(repository, credentials, settings, deadline, log));

    /// <summary>
    /// The commit writer of the repository's forge (GitOpsCommitMethod=api); it owns <paramref name="http"/> from here on.
    /// </summary>
    public static IForgeCommits Commits(ForgeHttp http) => http.Repository.Kind switch
    {
        ForgeKind.GitHub => new GitHubCommits(http),
        ForgeKind.GitLab => new GitLabCommits(http),
        ForgeKind.AzureDevOps => new AzureDevOpsCommits(http),
        ForgeKind.Gitea => new GiteaCommits(http),
        ForgeKind.Bitbucket => new BitbucketCommits(http),
        var kind => throw new ArgumentOutOfRangeException(nameof(http), kind, "no commit writer for this forge"),
    };

    /// <summary>The client for the repository's forge; it owns <paramref name="http"/> from here on.</summary>
    public static IForgeClient Create(ForgeHttp http) => http.Repository.Kind switch
    {
        ForgeKind.GitHub => new GitHubForgeClient(http),
        ForgeKind.GitLab => new GitLabClient(http),
        ForgeKind.AzureDevOps => new AzureDevOpsClient(http),
        ForgeKind.Gitea => new GiteaClient(http),
        ForgeKind.Bitbucket => new BitbucketClient(http),
        var kind => throw new ArgumentOutOfRangeException(nameof(http), kind, "no client for this forge"),
    };
}
