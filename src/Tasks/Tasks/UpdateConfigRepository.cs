using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Git;
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
    public bool AllowDowngrade { get; set; }

    public string? ProjectPath { get; set; }

    public string? CommitMessage { get; set; }

    /// <summary>GitOpsImageReferenceFormat: Tag (default), Digest or TagAndDigest.</summary>
    public string? ReferenceFormat { get; set; }

    [Required] public string CommitAuthorName { get; set; } = "";

    [Required] public string CommitAuthorEmail { get; set; } = "";

    public bool DryRun { get; set; }

    public int PushRetries { get; set; } = 10;

    /// <summary>GitOpsConfigTimeout: seconds for the whole config step, retries included.</summary>
    public int TimeoutSeconds { get; set; } = 300;

    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";

    protected override void ExecuteCore()
    {
        if (string.IsNullOrWhiteSpace(ConfigRepository)) throw new GitOpsException(Errors.ConfigRepositoryMissing);
        if (string.IsNullOrWhiteSpace(Image)) throw new GitOpsException(Errors.ImageMissing);

        var referenceFormat = Blank(ReferenceFormat) is { } format
            ? ManifestOptionsReader.ParseEnum<ImageReferenceFormat>(format, "GitOpsImageReferenceFormat")
            : ImageReferenceFormat.Tag;
        var request = new DeploymentRequest(
            new DeploymentFacts(ImageReference.Parse(Image.Trim()), Blank(ImageDigest), Blank(SourceCommit),
                Blank(SourceRepositoryUrl), Blank(ProjectPath), CiSystems.Detect(GetEnvironmentVariable)?.RunUrl),
            ConfigRepository.Trim(),
            Blank(ConfigBranch),
            Manifests.Select(item => ManifestOptionsReader.Read(item.ItemSpec, item.GetMetadata, referenceFormat)).ToList(),
            Blank(CommitMessage),
            CommitAuthorName,
            CommitAuthorEmail,
            DryRun,
            Blank(ConfigPushBranch),
            Blank(AppRepositoryDirectory) is { } app ? new DeployOrderCheck(app, AllowDowngrade) : null);

        var credentials = GitCredentials.FromEnvironment(GetEnvironmentVariable);
        var options = new ConfigWriterOptions
        {
            PushRetries = PushRetries,
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
            Ssh = SshSettings.FromEnvironment(GetEnvironmentVariable),
        };
        using var prefetch = PrefetchRegistry.Take(BuildEngine4, request.ConfigRepository, request.ConfigBranch);
        var (result, outcome) = new ConfigDeployer(credentials, BuildLog, options).Deploy(request, prefetch);
        ConfigCommit = result.CommitSha ?? "";
        ResolvedConfigBranch = result.Branch;
        if (Blank(ResultFile) is { } resultFile)
            new CiOutputWriter(GetEnvironmentVariable, BuildLog).Write(outcome, resultFile);
    }
}
