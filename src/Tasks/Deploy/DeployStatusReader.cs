using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// GitOpsStatus: for each environment, the image it runs, the deploy commit that put it there and that commit's
/// provenance trailers, and how far it is behind the app's HEAD. Read-only: one read per branch (a clone, or with
/// GitOpsCommitMethod=api the forge's API), never written.
/// </summary>
internal sealed class DeployStatusReader(IConfigReader reader, IBuildLog log)
{
    /// <summary>What one environment's files hold, not whether the repository could be read: reported for that environment alone.</summary>
    private static readonly HashSet<GitOpsError> ManifestErrors =
    [
        Errors.ManifestNotFound, Errors.ManifestPatternMatchedNothing, Errors.NoImageReference, Errors.ImageReferenceInvalid,
        Errors.ManifestMalformed, Errors.ImageValueShared, Errors.ImageInBlockScalar, Errors.ManifestEditUnverifiable,
        Errors.ImageReferenceFormatUnsatisfied, Errors.ImageEntryNotAddable, Errors.StaleDigest, Errors.DigestKeyMissing,
        Errors.ManifestIsSymbolicLink, Errors.ManifestTooLarge, Errors.EnvironmentUnknown, Errors.EnvironmentManifestPathMissing,
        Errors.DeployedImageNotFound, Errors.DeployedImageAmbiguous,
    ];

    /// <summary>
    /// One row per environment, in order. <paramref name="defaultBranch"/>: GitOpsConfigBranch, for environments
    /// without a Branch (null: the remote's default). <paramref name="history"/>: the app's history, for how far each
    /// environment is behind HEAD; null when there is none.
    /// </summary>
    public DeployStatus Read(ConfigRepositoryLocation repository, string? defaultBranch, IReadOnlyList<DeploymentEnvironment> environments,
        ImageReference name, AppCommitHistory? history, CancellationToken cancellationToken)
    {
        var head = history?.Head;
        var rows = new Dictionary<DeploymentEnvironment, EnvironmentStatus>();
        // One read per branch, however many environments live on it.
        foreach (var group in environments.GroupBy(e => BranchNameRule.ValidateConfigBranch(e.Branch) ?? defaultBranch))
        {
            try
            {
                reader.Read(repository, group.Key, snapshot =>
                {
                    foreach (var environment in group)
                        rows[environment] = Status(snapshot, environment, name, repository.DisplayUrl, history, head);
                    return 0;
                }, cancellationToken);
            }
            // An environment whose branch does not exist (yet) is reported as such; an unreachable repository fails the target.
            catch (GitOpsException e) when (e.Error == Errors.ConfigBranchMissing)
            {
                foreach (var environment in group)
                    rows[environment] = Unknown(environment, repository.DisplayUrl, group.Key, e);
            }
        }
        return new DeployStatus(head, environments.Select(e => rows[e]).ToList());
    }

    private EnvironmentStatus Status(IConfigSnapshot clone, DeploymentEnvironment environment, ImageReference name, string repositoryForMessages,
        AppCommitHistory? history, string? head)
    {
        EnvironmentState state;
        try
        {
            state = EnvironmentReader.Read(clone, environment.Name, environment.Manifests, name, repositoryForMessages);
        }
        catch (GitOpsException e) when (ManifestErrors.Contains(e.Error))
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
            HeadDeployed: resolved is null || head is null ? null : resolved == head,
            CommitsBehindHead: behind);
    }

    private EnvironmentStatus Unknown(DeploymentEnvironment environment, string repositoryForMessages, string? branch, GitOpsException e)
    {
        log.Warning(Errors.EnvironmentStatusUnknown, environment.Name, e.Message);
        return new EnvironmentStatus(environment.Name, repositoryForMessages, branch, Error: e.Message);
    }
}
