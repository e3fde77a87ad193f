using System.Diagnostics;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>Commits an image reference into the config repository's manifests: the CI half's last step.</summary>
internal sealed class ConfigDeployer(GitCredentials? credentials, IBuildLog log, ConfigWriterOptions? options = null)
{
    /// <summary>Renders the message, edits the manifests on the branch tip, commits and pushes (or, dry, only compares).</summary>
    /// <remarks><paramref name="prefetch"/>: the config repository cloned while the app was built, if that was started.</remarks>
    public Deployment Deploy(DeploymentRequest request, ConfigClonePrefetch? prefetch = null, CancellationToken cancellationToken = default)
    {
        if (request.Manifests.Count == 0)
            throw new GitOpsException(Errors.ManifestPathMissing);
        DeploymentRequestRules.Validate(request);

        var repositoryForDisplay = request.ConfigRepository.DisplayUrl;
        var message = CommitMessage.Render(request.CommitMessageTemplate, request.Facts);
        // The digest rides along so Digest/TagAndDigest formats can write it; Tag writes the tag alone.
        var image = request.Facts is { ImageDigest: { } digest, Image.Digest: null } ? request.Facts.Image.WithDigest(digest) : request.Facts.Image;
        var change = new ManifestImageChange(request.Manifests, image,
            string.IsNullOrEmpty(request.ConfigBranch) ? "(default)" : request.ConfigBranch, repositoryForDisplay,
            request.OrderCheck is { } order ? new DeployOrderGuard(order.AppRepositoryDirectory, request.Facts.SourceCommit, order.AllowDowngrade, log) : null,
            log);

        var pushBranch = PushBranch(request);
        ManifestEditor.StartWarmUp(); // while the writer clones

        var clock = Stopwatch.StartNew();
        var result = new ConfigRepositoryWriter(credentials, log, options).Commit(
            new ConfigCommitRequest(request.ConfigRepository, request.ConfigBranch, message,
                request.AuthorName, request.AuthorEmail, request.DryRun, pushBranch),
            change, prefetch, cancellationToken);

        try
        {
            return Report(request, result, repositoryForDisplay, clock.Elapsed);
        }
        // The commit is on the server now: whatever goes wrong while reporting it, the build must say which commit it was.
        catch (Exception e) when (result.Committed && e is not GitOpsException and not OutOfMemoryException)
        {
            throw new GitOpsException(e, Errors.FailedAfterPush, result.CommitSha, result.Branch, repositoryForDisplay, e.Message);
        }
    }

    private Deployment Report(DeploymentRequest request, ConfigCommitResult result, string repositoryForDisplay, TimeSpan elapsed)
    {
        // The outcome formats the diff once, for the dry run's log line and for the result file.
        var deployment = new Deployment(result, Outcome(request, result));
        var deployed = request.Facts.Image.ToString();
        if (result.Change is DeployVerdict.NewerDeployed { Newer: var newer })
            log.Warning(Errors.NewerImageDeployed, repositoryForDisplay, result.Branch, newer.OldImage, newer.OldCommit, newer.NewCommit, deployed);
        else if (request.DryRun)
            log.Important(Messages.DryRunDiff(repositoryForDisplay, result.Branch, deployment.Outcome.Diff));
        else if (result.Committed)
            log.Important(Messages.ConfigCommitted(deployed, repositoryForDisplay, result.Branch, result.CommitSha!, elapsed));
        else
        {
            log.Important(Messages.AlreadyDeployed(deployed, repositoryForDisplay, result.Branch));
            if (RecordedDigest(request.Facts, (result.Change as DeployVerdict.AlreadyDeployed)?.TipTrailers) is { } recorded && result.PreviousTipSha is { } tip)
                log.Warning(Errors.DeployedTagMoved, deployed, request.Facts.ImageDigest, repositoryForDisplay, result.Branch,
                    Messages.ShortSha(tip), recorded);
        }
        return deployment;
    }

    // A re-run of a deployed commit pushes its tag again, and the SDK's images are not reproducible: the tag then names
    // another digest than the deploy commit records. Only the tip is read (a depth-1 clone), the usual place of a re-run.
    private static string? RecordedDigest(DeploymentFacts facts, IReadOnlyDictionary<string, string>? tipTrailers) =>
        facts.ImageDigest is { } pushed
        && tipTrailers is not null
        && tipTrailers.TryGetValue(CommitMessage.ImageTrailer, out var image) && image == facts.Image.ToString()
        && tipTrailers.TryGetValue(CommitMessage.ImageDigestTrailer, out var recorded)
        && !string.Equals(recorded, pushed, StringComparison.OrdinalIgnoreCase)
            ? recorded
            : null;

    private static DeploymentOutcome Outcome(DeploymentRequest request, ConfigCommitResult result) => new(
        request.Facts.Image.ToString(),
        request.Facts.ImageDigest,
        request.Facts.SourceCommit,
        request.Facts.SourceRepository,
        request.Facts.BuildUrl,
        request.ConfigRepository.DisplayUrl,
        result.Branch,
        result.CommitSha,
        request.DryRun,
        result.Changes.Select(c => c.Path).ToList(),
        UnifiedDiff.Format(result.Changes));

    private static string? PushBranch(DeploymentRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.PushBranchTemplate)) return null;
        var name = DeploymentTemplate.Expand(request.PushBranchTemplate.Trim(), request.Facts, "GitOpsConfigPushBranch");
        return BranchNameRule.ValidatePushBranch(name);
    }
}
