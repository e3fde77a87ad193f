using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Commits the image reference into the config repository's manifests and pushes it.</summary>
public sealed class UpdateConfigRepository : GitOpsTask
{
    /// <summary>GitOpsConfigRepository: https://, http://, ssh:// URL, scp-style user@host:path, file:// URL or a local path.</summary>
    public string? ConfigRepository { get; set; }

    /// <summary>GitOpsConfigBranch: empty means the remote's default branch.</summary>
    public string? ConfigBranch { get; set; }

    /// <summary>GitOpsConfigPushBranch: a branch (template) to push to instead, e.g. for a pull request.</summary>
    public string? ConfigPushBranch { get; set; }

    /// <summary>GitOpsResultFile: where the JSON result goes.</summary>
    public string? ResultFile { get; set; }

    /// <summary>GitOpsManifestPath and GitOpsManifest items: paths relative to the config repository root.</summary>
    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>The image reference to write, with its tag.</summary>
    public string? Image { get; set; }

    public string? ImageDigest { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceRepositoryUrl { get; set; }

    /// <summary>The app's Git repository (a directory in it): its history tells whether the config already deploys a later commit.</summary>
    public string? AppRepositoryDirectory { get; set; }

    /// <summary>GitOpsAllowDowngrade: replace an image built from a later commit anyway.</summary>
    public string? AllowDowngrade { get; set; }

    public string? ProjectPath { get; set; }

    public string? CommitMessage { get; set; }

    /// <summary>GitOpsImageReferenceFormat: Tag (default), Digest or TagAndDigest.</summary>
    public string? ReferenceFormat { get; set; }

    [Required] public string CommitAuthorName { get; set; } = "";

    [Required] public string CommitAuthorEmail { get; set; } = "";

    /// <summary>GitOpsDryRun. Booleans are strings here so that "yes" is GITOPS008 naming the property, not MSBuild's MSB4030.</summary>
    public string? DryRun { get; set; }

    /// <summary>GitOpsCommitSigningFormat: ssh or openpgp; empty commits unsigned. The key is read from GITOPS_SIGNING_KEY.</summary>
    public string? CommitSigningFormat { get; set; }

    /// <summary>GitOpsCommitSigningKey: an OpenPGP key id in the build user's keyring (or, for ssh, a key file's path).</summary>
    public string? CommitSigningKey { get; set; }

    /// <summary>GitOpsArgoCdTrailers: write Argo CD's Argocd-reference-commit-* trailers (default true; a string, as DryRun).</summary>
    public string? ArgoCdTrailers { get; set; }

    /// <summary>GitOpsPushRetries, as written: 0 to 100 (a string, so that a non-number gets a code too).</summary>
    public string? PushRetries { get; set; }

    /// <summary>GitOpsConfigTimeout: seconds for the whole config step, retries included; 1 to 3600.</summary>
    public string? TimeoutSeconds { get; set; }

    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";

    private protected override string CancelledWhat => UrlRedactor.Redact(ConfigRepository ?? "");

    protected override void ExecuteCore()
    {
        var repository = ConfigRepositoryLocation.Parse(ConfigRepository);
        if (string.IsNullOrWhiteSpace(Image)) throw new GitOpsException(Errors.ImageMissing);

        var referenceFormat = Blank(ReferenceFormat) is { } format
            ? ManifestOptionsReader.ParseEnum<ImageReferenceFormat>(format, "GitOpsImageReferenceFormat")
            : ImageReferenceFormat.Tag;
        var dryRun = Blank(DryRun) is { } dry && ManifestOptionsReader.ParseBoolean(dry, "GitOpsDryRun");
        var allowDowngrade = Blank(AllowDowngrade) is { } downgrade && ManifestOptionsReader.ParseBoolean(downgrade, "GitOpsAllowDowngrade");
        var request = new DeploymentRequest(
            new DeploymentFacts(ImageReference.Parse(Image.Trim()), Blank(ImageDigest), Blank(SourceCommit),
                Blank(SourceRepositoryUrl) is { } source ? UrlRedactor.Redact(source) : null, Blank(ProjectPath), CiSystems.Detect(GetEnvironmentVariable)?.RunUrl,
                ReferencedAppCommit()),
            repository,
            Blank(ConfigBranch),
            Manifests.Select(item => ManifestOptionsReader.Read(item.ItemSpec, item.GetMetadata, referenceFormat)).ToList(),
            Blank(CommitMessage),
            CommitAuthorName,
            CommitAuthorEmail,
            dryRun,
            Blank(ConfigPushBranch),
            Blank(AppRepositoryDirectory) is { } app ? new DeployOrderCheck(app, allowDowngrade) : null);

        using var write = PrepareWrite(repository, TimeoutSeconds, PushRetries, CommitSigningFormat, CommitSigningKey, dryRun);
        if (TempDirectory.SweepStale(null, TempDirectory.ConfigClonePrefix) is > 0 and var swept)
            BuildLog.Detail(Messages.StaleClonesDeleted(swept, Path.GetTempPath()));
        using var prefetch = PrefetchRegistry.Take(BuildEngine4, request.ConfigRepository, request.ConfigBranch);
        var (result, outcome) = new ConfigDeployer(write.Credentials, BuildLog, write.Options).Deploy(request, prefetch, CancellationToken);
        // The outputs first: whatever happens to the files below, MSBuild and the caller learn what was deployed.
        ConfigCommit = result.CommitSha ?? "";
        ResolvedConfigBranch = result.Branch;
        if (Blank(ResultFile) is { } resultFile)
            new CiOutputWriter(GetEnvironmentVariable, BuildLog).Write(outcome, resultFile);
    }

    // Argo CD's trailers name the app commit: all of it from the app repository when it holds the commit, else only
    // what the build was told (SHA, repository URL).
    private AppCommit? ReferencedAppCommit()
    {
        var argoCdTrailers = Blank(ArgoCdTrailers) is not { } value || ManifestOptionsReader.ParseBoolean(value, "GitOpsArgoCdTrailers");
        if (!argoCdTrailers || Blank(SourceCommit) is not { } sha)
            return null;
        var read = Blank(AppRepositoryDirectory) is { } directory ? SourceRevisionReader.TryReadCommit(directory, sha) : null;
        return (read ?? new AppCommit(sha)) with { RepositoryUrl = Blank(SourceRepositoryUrl) ?? read?.RepositoryUrl };
    }
}
