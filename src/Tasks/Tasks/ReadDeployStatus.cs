using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsStatus: for each environment (or the configured manifests), the image it runs, the deploy commit that put it
/// there and that commit's provenance trailers, and how far it is behind the app's HEAD. Printed, written as JSON and,
/// under GitHub Actions, as a table in the job summary. Read-only: the config repository is cloned, never written.
/// </summary>
public sealed class ReadDeployStatus : GitOpsTask
{
    /// <summary>The GitOpsEnvironment items; without any, the manifests below are reported as one environment.</summary>
    public ITaskItem[] Environments { get; set; } = [];

    /// <summary>GitOpsManifestPath and GitOpsManifest items, used when no environment is defined.</summary>
    public ITaskItem[] Manifests { get; set; } = [];

    public string? ConfigRepository { get; set; }

    public string? ConfigBranch { get; set; }

    /// <summary>The repository to look for: [registry/]repository (a tag is ignored).</summary>
    public string? ImageName { get; set; }

    public string? AppRepositoryDirectory { get; set; }

    /// <summary>GitOpsStatusFile: where the JSON goes.</summary>
    public string? StatusFile { get; set; }

    public string? TimeoutSeconds { get; set; }

    private protected override string CancelledWhat => UrlRedactor.Redact(ConfigRepository ?? "");

    protected override void ExecuteCore()
    {
        var repository = ConfigRepositoryLocation.Parse(ConfigRepository);
        var name = Blank(ImageName) is { } text ? ImageReference.Parse(text) : throw new GitOpsException(Errors.ImageMissing);
        var defaultBranch = BranchNameRule.ValidateConfigBranch(Blank(ConfigBranch));
        var environments = Environments.Length > 0
            ? Environments.Select(item => DeploymentEnvironment.Read(item.ItemSpec, item.GetMetadata, ImageReferenceFormat.Tag)).ToList()
            : Manifests.Length > 0
                ? [new DeploymentEnvironment("default", Manifests.Select(item => ManifestOptionsReader.Read(item.ItemSpec, item.GetMetadata, ImageReferenceFormat.Tag)).ToList(), null)]
                : throw new GitOpsException(Errors.ManifestPathMissing);
        var reader = new ConfigRepositoryReader(ReadCredentials(), TransportOptions(TimeSpan.FromSeconds(NumberRule.ConfigTimeoutSeconds(TimeoutSeconds))));
        using var history = Blank(AppRepositoryDirectory) is { } directory ? AppCommitHistory.Open(directory) : null;
        var head = history?.Head;

        // One clone per branch, however many environments live on it.
        var rows = new Dictionary<DeploymentEnvironment, EnvironmentStatus>();
        foreach (var group in environments.GroupBy(e => BranchNameRule.ValidateConfigBranch(e.Branch) ?? defaultBranch))
        {
            try
            {
                reader.Read(repository, group.Key, clone =>
                {
                    foreach (var environment in group)
                        rows[environment] = Status(clone, environment, name, repository.DisplayUrl, history, head);
                    return 0;
                }, CancellationToken);
            }
            // An environment whose branch does not exist (yet) is reported as such; an unreachable repository fails the target.
            catch (GitOpsException e) when (e.Error == Errors.ConfigBranchMissing)
            {
                foreach (var environment in group)
                    rows[environment] = Unknown(environment, repository.DisplayUrl, group.Key, e);
            }
        }

        var status = new DeployStatus(head, environments.Select(e => rows[e]).ToList());
        foreach (var row in status.Environments)
        {
            BuildLog.Important(row.Error is not null
                ? Messages.StatusUnknown(row.Environment, row.Error)
                : Messages.StatusLine(row.Environment, row.ConfigBranch ?? "", row.Image!, row.SourceCommit, row.DeployCommit, row.DeployDate, row.BuildUrl,
                    DeployStatus.HeadText(row)));
        }

        if (Blank(StatusFile) is { } file)
            Write("file (GitOpsStatusFile)", file, status.ToJson(), append: false);
        if (CiSystems.NonEmpty(GetEnvironmentVariable)(CiOutputWriter.GitHubStepSummary) is { } summary)
            Write($"job summary ({CiOutputWriter.GitHubStepSummary})", summary, status.ToMarkdown(), append: true);
    }

    private EnvironmentStatus Status(ConfigRepositoryClone clone, DeploymentEnvironment environment, ImageReference name, string repositoryForMessages,
        AppCommitHistory? history, string? head)
    {
        EnvironmentState state;
        try
        {
            state = EnvironmentReader.Read(clone, environment.Name, environment.Manifests, name, repositoryForMessages);
        }
        // What an environment's manifests hold is reported; the repository being unreachable fails the whole target.
        catch (GitOpsException e) when (IsAboutManifests(e))
        {
            return Unknown(environment, repositoryForMessages, clone.Branch, e);
        }

        var source = state.Trailer(CommitMessage.SourceCommitTrailer);
        var resolved = source is null ? null : history?.Resolve(source);
        int? behind = resolved is not null && head is not null ? history!.CommitsBehind(resolved, head) : null;
        return new EnvironmentStatus(environment.Name, repositoryForMessages, state.Branch, state.Deployed.Image.ToString(),
            state.Deployed.Image.Digest ?? state.Trailer(CommitMessage.ImageDigestTrailer), source, state.Trailer(CommitMessage.SourceRepositoryTrailer),
            state.DeployCommit?.Sha, state.DeployCommit?.Date, state.Trailer(CommitMessage.BuildUrlTrailer),
            state.Trailer(CommitMessage.PromotedFromTrailer),
            resolved is null || head is null ? null : resolved == head,
            behind, null);
    }

    private EnvironmentStatus Unknown(DeploymentEnvironment environment, string repositoryForMessages, string? branch, GitOpsException e)
    {
        BuildLog.Warning(Errors.EnvironmentStatusUnknown, environment.Name, e.Message);
        return new EnvironmentStatus(environment.Name, repositoryForMessages, branch, null, null, null, null, null, null, null, null, null, null, e.Message);
    }

    // GITOPS006, 017 and the manifest range 040-055: what one environment's files hold, not whether the repository could be read.
    private static bool IsAboutManifests(GitOpsException e) =>
        e.Error == Errors.ManifestNotFound || e.Error == Errors.ManifestPatternMatchedNothing
        || (string.CompareOrdinal(e.Code, "GITOPS040") >= 0 && string.CompareOrdinal(e.Code, "GITOPS055") <= 0);

    private void Write(string what, string path, string text, bool append)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
            if (append) File.AppendAllText(path, text);
            else File.WriteAllText(path, text);
            BuildLog.Detail(Messages.StatusWritten(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            BuildLog.Warning(Errors.StatusNotWritten, what, path, e.Message);
        }
    }
}
