using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// The inputs of a config update, as the targets pass them: <see cref="UpdateConfigRepository"/> deploys them at once,
/// <see cref="WriteReleaseEntry"/> hands them to the release (<see cref="DeployRelease"/>) that deploys them with the others.
/// </summary>
public abstract class ConfigUpdateTask : ConfigWriteTask
{
    /// <summary>GitOpsManifestPath and GitOpsManifest items: paths relative to the config repository root.</summary>
    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>The image reference to write, with its tag.</summary>
    public string? Image { get; set; }

    public string? ImageDigest { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceRepositoryUrl { get; set; }

    public string? ProjectPath { get; set; }

    /// <summary>The inputs as they were given (nothing checked yet).</summary>
    private protected ReleaseEntry Inputs() => new()
    {
        ConfigRepository = ConfigRepository,
        ConfigBranch = ConfigBranch,
        ConfigPushBranch = ConfigPushBranch,
        ResultFile = ResultFile,
        Manifests = Manifests.Select(item => new ReleaseManifest(item.ItemSpec, ManifestOptionsReader.MetadataNames
            .Select(name => (name, value: item.GetMetadata(name)))
            .Where(m => !string.IsNullOrEmpty(m.value))
            .ToDictionary(m => m.name, m => m.value, StringComparer.Ordinal))).ToList(),
        Image = Image,
        ImageDigest = ImageDigest,
        SourceCommit = SourceCommit,
        SourceRepositoryUrl = SourceRepositoryUrl,
        AppRepositoryDirectory = AppRepositoryDirectory,
        AllowDowngrade = AllowDowngrade,
        ProjectPath = ProjectPath,
        CommitMessage = CommitMessage,
        ReferenceFormat = ReferenceFormat,
        CommitAuthorName = CommitAuthorName,
        CommitAuthorEmail = CommitAuthorEmail,
        DryRun = DryRun,
        CommitSigningFormat = CommitSigningFormat,
        CommitSigningKey = CommitSigningKey,
        ArgoCdTrailers = ArgoCdTrailers,
        PushRetries = PushRetries,
        TimeoutSeconds = TimeoutSeconds,
        PullRequest = PullRequest,
        Forge = Forge,
        ForgeApiUrl = ForgeApiUrl,
        PullRequestTitle = PullRequestTitle,
        PullRequestLabels = PullRequestLabels,
        PullRequestDraft = PullRequestDraft,
        PullRequestReviewers = PullRequestReviewers,
        PullRequestAutoMerge = PullRequestAutoMerge,
        PullRequestMergeMethod = PullRequestMergeMethod,
        PullRequestSupersede = PullRequestSupersede,
    };

    /// <summary>Checks the inputs and turns them into the deploy's request (GITOPS0xx for what is wrong).</summary>
    private protected DeploymentRequest Request(ReleaseEntry entry)
    {
        var repository = ConfigRepositoryLocation.Parse(entry.ConfigRepository);
        if (string.IsNullOrWhiteSpace(entry.Image)) throw new GitOpsException(Errors.ImageMissing);

        var referenceFormat = Blank(entry.ReferenceFormat) is { } format
            ? ManifestOptionsReader.ParseEnum<ImageReferenceFormat>(format, "GitOpsImageReferenceFormat")
            : ImageReferenceFormat.Tag;
        var dryRun = IsDryRun(entry);
        var allowDowngrade = Blank(entry.AllowDowngrade) is { } downgrade && ManifestOptionsReader.ParseBoolean(downgrade, "GitOpsAllowDowngrade");
        return new DeploymentRequest(
            new DeploymentFacts(ImageReference.Parse(entry.Image.Trim()), Blank(entry.ImageDigest), Blank(entry.SourceCommit),
                Blank(entry.SourceRepositoryUrl) is { } source ? UrlRedactor.Redact(source) : null, Blank(entry.ProjectPath),
                CiSystems.Detect(GetEnvironmentVariable)?.RunUrl, ReferencedAppCommit(entry)),
            repository,
            Blank(entry.ConfigBranch),
            entry.Manifests.Select(item => ManifestOptionsReader.Read(item.Path, name => item.Metadata.GetValueOrDefault(name), referenceFormat)).ToList(),
            Blank(entry.CommitMessage),
            entry.CommitAuthorName ?? "",
            entry.CommitAuthorEmail ?? "",
            dryRun,
            Blank(entry.ConfigPushBranch),
            Blank(entry.AppRepositoryDirectory) is { } app ? new DeployOrderCheck(app, allowDowngrade) : null);
    }

    private protected static bool IsDryRun(ReleaseEntry entry) =>
        Blank(entry.DryRun) is { } dry && ManifestOptionsReader.ParseBoolean(dry, "GitOpsDryRun");

    /// <summary>
    /// Deploys requests that share a config repository and branch in one commit (one request: the single deploy), with
    /// the commit settings of <paramref name="settings"/>; the caller writes the outcome.
    /// </summary>
    private protected Deployment Deploy(IReadOnlyList<DeploymentRequest> requests, ReleaseEntry settings)
    {
        var repository = requests[0].ConfigRepository;
        using var write = PrepareWrite(repository, settings.TimeoutSeconds, settings.PushRetries, settings.CommitSigningFormat,
            settings.CommitSigningKey, IsDryRun(settings));
        if (TempDirectory.SweepStale(null, TempDirectory.ConfigClonePrefix) is > 0 and var swept)
            BuildLog.Detail(Messages.StaleClonesDeleted(swept, Path.GetTempPath()));
        var options = PullRequestSetup.Read(settings.PullRequest, settings.Forge, settings.ForgeApiUrl, settings.PullRequestTitle, settings.PullRequestLabels,
            settings.PullRequestDraft, settings.PullRequestReviewers, settings.PullRequestAutoMerge, settings.PullRequestMergeMethod, settings.PullRequestSupersede);
        using var proposal = options is null ? null : PullRequestSetup.Open(options, repository, write, GetEnvironmentVariable, IsDryRun(settings), BuildLog, CancellationToken);
        var deployer = new ConfigDeployer(proposal?.GitCredentials ?? write.Credentials, BuildLog, write.Options, proposal?.Step);
        if (requests.Count > 1)
            return deployer.DeployRelease(requests, CancellationToken);
        using var prefetch = PrefetchRegistry.Take(BuildEngine4, repository, requests[0].ConfigBranch);
        return deployer.Deploy(requests[0], prefetch, CancellationToken);
    }

    // Argo CD's trailers name the app commit: all of it from the app repository when it holds the commit, else only
    // what the build was told (SHA, repository URL).
    private static AppCommit? ReferencedAppCommit(ReleaseEntry entry)
    {
        var argoCdTrailers = Blank(entry.ArgoCdTrailers) is not { } value || ManifestOptionsReader.ParseBoolean(value, "GitOpsArgoCdTrailers");
        if (!argoCdTrailers || Blank(entry.SourceCommit) is not { } sha)
            return null;
        var read = Blank(entry.AppRepositoryDirectory) is { } directory ? SourceRevisionReader.TryReadCommit(directory, sha) : null;
        return (read ?? new AppCommit(sha)) with { RepositoryUrl = Blank(entry.SourceRepositoryUrl) ?? read?.RepositoryUrl };
    }
}
