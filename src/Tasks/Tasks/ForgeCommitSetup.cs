using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsCommitMethod=api: the forge's commit writer for the config repository, on the pull requests' forge, API root
/// and credentials (GITOPS_FORGE_TOKEN, GITOPS_TOKEN or a GitHub App's installation token), composed here as the forge
/// clients are. A dry run reads through the API too, so it needs the credentials; it writes nothing. A promotion reads its
/// source, and GitOpsStatus each environment, through the same API (<see cref="Reader"/>), within the same GitOpsConfigTimeout;
/// the deploy wait asks it whether the agent's revision is the deploy commit or later (<see cref="Ancestry"/>).
/// </summary>
internal sealed class ForgeCommitSetup : IDisposable
{
    private readonly IForgeCommits commits;

    private ForgeCommitSetup(IForgeCommits commits, ForgeAccess access, IConfigWriter writer, IConfigReader reader)
    {
        this.commits = commits;
        Access = access;
        Writer = writer;
        Reader = reader;
    }

    /// <summary>The credentials, for the pull request on the same forge.</summary>
    public ForgeAccess Access { get; }

    public IConfigWriter Writer { get; }

    /// <summary>Reads a branch through the same API (a promotion's source environment, GitOpsStatus), with no clone.</summary>
    public IConfigReader Reader { get; }

    /// <remarks><paramref name="readOnly"/>: only the reader will be used (GitOpsStatus); the log line then says the API reads, as for a dry run.</remarks>
    public static ForgeCommitSetup Open(ConfigInputs settings, ConfigWrite write, bool readOnly, Func<string, string?> getVariable, IBuildLog log,
        CancellationToken cancellationToken)
    {
        var http = settings.Http;
        var repository = ForgeRepository.Parse(settings.Repository, settings.Forge, settings.ForgeApiUrl);
        TextRule.RejectControlCharacters(getVariable(ForgeCredentials.ForgeTokenVariable)?.Trim(), "The environment variable " + ForgeCredentials.ForgeTokenVariable);
        // One deadline for every call and the retries' back-off: GitOpsConfigTimeout and Ctrl+C.
        var deadline = new Deadline(write.Options.Timeout, cancellationToken, write.Options.Time);
        var access = ForgeAccess.Resolve(repository, getVariable, http, deadline, log);
        var commits = ForgeClients.Commits(new ForgeHttp(repository, access.Api, http, deadline, log));
        var api = UrlRedactor.Redact(repository.ApiRoot.ToString());
        log.Detail(readOnly || settings.DryRun
            ? Messages.ForgeApiReads(repository.Kind.ToString(), api)
            : Messages.ForgeApiCommits(repository.Kind.ToString(), api, access.IsGitHubApp));
        return new ForgeCommitSetup(commits, access, new ForgeCommitWriter(commits, log, write.Options, deadline, access.IsGitHubApp),
            new ForgeConfigReader(commits, deadline));
    }

    /// <summary>The deploy wait's check of the agent's revisions through the same API (no clone); disposing it disposes this setup.</summary>
    public ICommitAncestry Ancestry() => new ForgeAncestry(commits, this);

    public void Dispose() => commits.Dispose();
}
