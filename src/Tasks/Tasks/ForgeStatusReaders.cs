using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

// Composed here, beside ForgeClients: Forge knows the readers only through IForgeStatusReader, each forge's folder
// implements it.
/// <summary>The status reader of each forge.</summary>
internal static class ForgeStatusReaders
{
    /// <summary>The reader for the repository's forge (it owns <paramref name="http"/>): every forge's statuses are read.</summary>
    public static IForgeStatusReader Create(ForgeHttp http) => http.Repository.Kind switch
    {
        ForgeKind.GitHub => new Forge.GitHub.GitHubStatusReader(http),
        ForgeKind.GitLab => new Forge.GitLab.GitLabStatusReader(http),
        ForgeKind.AzureDevOps => new Forge.AzureDevOps.AzureDevOpsStatusReader(http),
        ForgeKind.Gitea => new Forge.Gitea.GiteaStatusReader(http),
        ForgeKind.Bitbucket => new Forge.Bitbucket.BitbucketStatusReader(http),
        var kind => throw new ArgumentOutOfRangeException(nameof(http), kind, "no status reader for this forge"),
    };

    /// <summary>
    /// The reader for the wait on the deploy's verdict, with the pull-request work's credentials (a GitHub App's
    /// installation token, else GITOPS_FORGE_TOKEN, else GITOPS_TOKEN): GITOPS144 without a token. Its deadline outlasts
    /// the wait's own bound, so that only a rate-limit wait is kept inside it (the wait's timeout, GITOPS135, ends first).
    /// </summary>
    public static IForgeStatusReader Open(ForgeRepository repository, DeployWaitOptions options, Func<string, string?> getVariable,
        HttpTransportSettings settings, IBuildLog log, CancellationToken cancellationToken)
    {
        TextRule.RejectControlCharacters(getVariable(ForgeCredentials.ForgeTokenVariable)?.Trim(), "The environment variable " + ForgeCredentials.ForgeTokenVariable);
        var deadline = new Deadline(options.Timeout + TimeSpan.FromMinutes(1), cancellationToken);
        ForgeAccess access;
        try
        {
            access = ForgeAccess.Resolve(repository, getVariable, settings, deadline, log);
        }
        catch (GitOpsException e) when (e.Code == Errors.ForgeTokenMissing.Code)
        {
            throw new GitOpsException(Errors.DeployStatusTokenMissing, repository.Kind, UrlRedactor.Redact(repository.ApiRoot.ToString()));
        }
        return Create(new ForgeHttp(repository, access.Api, settings, deadline, log));
    }
}
