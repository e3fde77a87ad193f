using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge.GitHub;

using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

/// <summary>
/// The credentials of a deploy through a pull request: the API's (a GitHub App's installation token, else
/// GITOPS_FORGE_TOKEN, else GITOPS_TOKEN) and, with a GitHub App, git's too (x-access-token and the same token).
/// </summary>
/// <param name="Api">What the forge's API gets.</param>
/// <param name="Git">Null: git keeps its own (GITOPS_TOKEN, or the SSH key).</param>
internal sealed record ForgeAccess(ForgeCredentials Api, GitCredentials? Git)
{
    /// <exception cref="GitOpsException">GITOPS124 without any token; GITOPS133/134 and the API's codes for a GitHub App.</exception>
    public static ForgeAccess Resolve(ForgeRepository repository, Func<string, string?> getVariable, HttpTransportSettings settings, Deadline deadline, IBuildLog log)
    {
        if (repository.Kind == ForgeKind.GitHub && GitHubApp.FromEnvironment(getVariable) is { } app)
        {
            using var http = new ForgeHttp(repository, null, settings, deadline, log);
            var token = http.Deadline.Token.IsCancellationRequested ? throw new OperationCanceledException(http.Deadline.Token)
                : app.InstallationTokenAsync(http).GetAwaiter().GetResult();
            log.Important($"GitOps: authenticated as GitHub App {app.AppId} for {repository.FullName}.");
            return new ForgeAccess(new ForgeCredentials(token, $"GitHub App {app.AppId}"), new GitCredentials(GitCredentials.DefaultUsername, token));
        }
        var credentials = ForgeCredentials.FromEnvironment(getVariable)
            ?? throw new GitOpsException(Errors.ForgeTokenMissing, repository.Kind, UrlRedactor.Redact(repository.ApiRoot.ToString()),
                repository.Kind == ForgeKind.GitHub ? $", or a GitHub App's {GitHubApp.IdVariable} and {GitHubApp.PrivateKeyVariable}" : "");
        return new ForgeAccess(credentials, null);
    }

    /// <summary>The API's token is a GitHub App's (only that one serves git too): a commit it makes with no author, GitHub signs.</summary>
    public bool IsGitHubApp => Git is not null;

    /// <summary>Never prints a token.</summary>
    public override string ToString() => $"ForgeAccess {{ Api = {Api}, Git = {Git} }}";
}
