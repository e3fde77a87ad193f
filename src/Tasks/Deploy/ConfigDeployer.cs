using System.Diagnostics;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// Commits image references into the config repository's manifests: the CI half's last step. There is one path: a
/// single deploy is a release of one image (as Flux's policy applier treats one policy as a set of one). With
/// <paramref name="pullRequest"/> (GitOpsPullRequest), the commit goes to a branch of its own and is proposed there.
/// <paramref name="writer"/> makes the commit: null, a clone pushed back (<see cref="ConfigRepositoryWriter"/>); the
/// forge's API (GitOpsCommitMethod=api) applies the same change to the same tip without one. <paramref name="reader"/>
/// reads a promotion's source again when it lives on another branch: null, a clone; with the forge's writer, its API.
/// </summary>
internal sealed class ConfigDeployer(GitCredentials? credentials, IBuildLog log, ConfigWriterOptions? options = null, PullRequestStep? pullRequest = null,
    IConfigWriter? writer = null, IConfigReader? reader = null)
{
    /// <summary>A release of one image: <see cref="Deploy(IReadOnlyList{DeploymentRequest}, ConfigClonePrefetch?, CancellationToken)"/>.</summary>
    public Deployment Deploy(DeploymentRequest request, ConfigClonePrefetch? prefetch = null, CancellationToken cancellationToken = default) =>
        Deploy([request], prefetch, cancellationToken);

    /// <summary>
    /// Deploys every image to one (config repository, branch) in one commit: one clone, one retry loop, one push. The
    /// requests must agree on where and how to commit (GITOPS033 names what differs); any manifest edit that fails
    /// fails them all, and nothing is committed. Dry, the edits are only compared.
    /// </summary>
    /// <remarks><paramref name="prefetch"/>: the config repository cloned while the app was built, if that was started.</remarks>
    public Deployment Deploy(IReadOnlyList<DeploymentRequest> requests, ConfigClonePrefetch? prefetch = null, CancellationToken cancellationToken = default)
    {
        if (requests.Count == 0) throw new ArgumentException("A deploy has at least one image.", nameof(requests));
        foreach (var request in requests)
        {
            if (request.Manifests.Count == 0)
                throw new GitOpsException(Errors.ManifestPathMissing);
            DeploymentRequestRules.Validate(request);
        }

        var first = requests[0];
        var repositoryForDisplay = first.ConfigRepository.DisplayUrl;
        Agree(requests, "GitOpsCommitMessage", r => r.CommitMessageTemplate);
        var proposed = PrepareProposal(first, cancellationToken);
        requests = [.. requests.Select(r => r with { ConfigBranch = proposed.ConfigBranch })];
        first = requests[0];
        Agree(requests, "GitOpsCommitAuthorName", r => r.AuthorName);
        Agree(requests, "GitOpsCommitAuthorEmail", r => r.AuthorEmail);
        Agree(requests, "GitOpsDryRun", r => r.DryRun ? "true" : "false");
        Agree(requests, "GitOpsConfigPushBranch", r => r.PushBranchTemplate);
        if (requests.GroupBy(r => r.Facts.Image.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new GitOpsException(Errors.ReleaseDisagrees, repositoryForDisplay, $"the image {twice.Key} is published by {Projects(twice)}: one release deploys each image once");

        var message = CommitMessage.RenderRelease(first.CommitMessageTemplate, requests.Select(r => r.Facts).ToList());
        var branchForMessages = string.IsNullOrEmpty(first.ConfigBranch) ? "(default)" : first.ConfigBranch;
        // The digest rides along so Digest/TagAndDigest formats can write it; Tag writes the tag alone.
        IConfigChange change = new ReleaseChange(requests.Select(request => new ManifestImageChange(request.Manifests, ImageToWrite(request.Facts),
            branchForMessages, repositoryForDisplay,
            request.OrderCheck is { } order ? new DeployOrderGuard(order.AppRepositoryDirectory, request.Facts.SourceCommit, order.AllowDowngrade, log) : null,
            log)).ToList());
        IPushCheck? pushCheck = null;
        if (first.PromotedFrom is { Branch: null } sameBranch)
            change = new PromotionChange(change, sameBranch, branchForMessages, repositoryForDisplay);
        else if (first.PromotedFrom is { } otherBranch)
            pushCheck = new PromotionSourceTip(otherBranch, reader ?? new ConfigRepositoryReader(credentials, options ?? new ConfigWriterOptions()),
                first.ConfigRepository, cancellationToken);
        var pushBranch = PushBranch(first);
        ManifestEditor.StartWarmUp(); // while the writer clones

        var clock = Stopwatch.StartNew();
        var result = (writer ?? new ConfigRepositoryWriter(credentials, log, options)).Commit(
            new ConfigCommitRequest(first.ConfigRepository, first.ConfigBranch, message, first.AuthorName, first.AuthorEmail, first.DryRun, pushBranch, pushCheck),
            change, prefetch, cancellationToken);
        try
        {
            return Propose(Report(requests, result, repositoryForDisplay, clock.Elapsed), message, [.. requests.Select(r => r.Facts)], first, cancellationToken);
        }
        // The commit is on the server now: whatever goes wrong while reporting it, the build must say which commit it was.
        catch (Exception e) when (result.Committed && e is not GitOpsException and not OutOfMemoryException)
        {
            throw new GitOpsException(e, Errors.FailedAfterPush, result.CommitSha, result.Branch, repositoryForDisplay, e.Message);
        }
    }

    private static void Agree(IReadOnlyList<DeploymentRequest> requests, string property, Func<DeploymentRequest, string?> value)
    {
        var values = requests.GroupBy(r => value(r) ?? "", StringComparer.Ordinal).ToList();
        if (values.Count > 1)
            throw new GitOpsException(Errors.ReleaseDisagrees, requests[0].ConfigRepository.DisplayUrl,
                $"{property} differs: " + string.Join("; ", values.Select(g => $"'{g.Key}' in {Projects(g)}")));
    }

    private static string Projects(IEnumerable<DeploymentRequest> requests) =>
        string.Join(", ", requests.Select(r => r.Facts.Project ?? r.Facts.Image.ToString()));

    private static ImageReference ImageToWrite(DeploymentFacts facts) =>
        facts is { ImageDigest: { } digest, Image.Digest: null } ? facts.Image.WithDigest(digest) : facts.Image;

    private Deployment Report(IReadOnlyList<DeploymentRequest> requests, ConfigCommitResult result, string repositoryForDisplay, TimeSpan elapsed)
    {
        // The outcome formats the diff once, for the dry run's log line and for the result file.
        var deployment = new Deployment(result, Outcome(requests, result));
        var deployed = string.Join(", ", requests.Select(r => r.Facts.Image.ToString()));
        var verdicts = (result.Change as ReleaseVerdict)?.Images ?? [];
        var refused = verdicts.OfType<DeployVerdict.NewerDeployed>().ToList();
        if (refused.Count > 0)
        {
            for (var i = 0; i < verdicts.Count; i++)
                if (verdicts[i] is DeployVerdict.NewerDeployed { Newer: var newer })
                    log.Warning(Errors.NewerImageDeployed, repositoryForDisplay, result.Branch, newer.OldImage, newer.OldCommit, newer.NewCommit, requests[i].Facts.Image);
            if (requests.Count > 1)
                log.Warning(Errors.ReleaseHeldBack, requests.Count, repositoryForDisplay, result.Branch);
        }
        else if (requests[0].DryRun)
            log.Important(Messages.DryRunDiff(repositoryForDisplay, result.Branch, deployment.Outcome.Diff));
        else if (result.Committed)
            log.Important(Messages.ConfigCommitted(deployed, repositoryForDisplay, result.Branch, result.CommitSha!, elapsed));
        else
        {
            log.Important(Messages.AlreadyDeployed(deployed, repositoryForDisplay, result.Branch));
            for (var i = 0; i < verdicts.Count; i++)
                if (RecordedDigest(requests[i].Facts, (verdicts[i] as DeployVerdict.AlreadyDeployed)?.TipTrailers) is { } recorded && result.PreviousTipSha is { } tip)
                    log.Warning(Errors.DeployedTagMoved, requests[i].Facts.Image, requests[i].Facts.ImageDigest, repositoryForDisplay, result.Branch,
                        Messages.ShortSha(tip), recorded);
        }
        return deployment;
    }

    // A re-run of a deployed commit pushes its tag again, and the SDK's images are not reproducible: the tag then names
    // another digest than the deploy commit records. Only the tip is read (a depth-1 clone), the usual place of a re-run;
    // each image of a release is compared with its own group of the tip's trailers.
    private static string? RecordedDigest(DeploymentFacts facts, IReadOnlyDictionary<string, string>? tipTrailers) =>
        facts.ImageDigest is { } pushed
        && tipTrailers is not null
        && tipTrailers.TryGetValue(CommitMessage.ImageTrailer, out var image) && image == facts.Image.ToString()
        && tipTrailers.TryGetValue(CommitMessage.ImageDigestTrailer, out var recorded)
        && !string.Equals(recorded, pushed, StringComparison.OrdinalIgnoreCase)
            ? recorded
            : null;

    // One image: the result names it at the top level too, as a single deploy's result always did.
    private static DeploymentOutcome Outcome(IReadOnlyList<DeploymentRequest> requests, ConfigCommitResult result)
    {
        var first = requests[0].Facts;
        var one = requests.Count == 1;
        return new DeploymentOutcome(
            one ? first.Image.ToString() : null,
            one ? first.ImageDigest : null,
            one ? first.SourceCommit : null,
            requests.Select(r => r.Facts.SourceRepository).Distinct().Count() == 1 ? first.SourceRepository : null,
            first.BuildUrl,
            requests[0].ConfigRepository.DisplayUrl,
            result.Branch,
            result.CommitSha,
            requests[0].DryRun,
            result.Changes.Select(c => c.Path).ToList(),
            UnifiedDiff.Format(result.Changes),
            requests.Select(r => new DeployedImage(r.Facts.Image.ToString(), r.Facts.ImageDigest, r.Facts.SourceCommit, r.Facts.Project)).ToList());
    }

    private string? PushBranch(DeploymentRequest request)
    {
        // Through a pull request, one branch per release unless GitOpsConfigPushBranch names another.
        var template = string.IsNullOrWhiteSpace(request.PushBranchTemplate) && pullRequest is not null
            ? PullRequestOptions.DefaultHeadTemplate
            : request.PushBranchTemplate;
        if (string.IsNullOrWhiteSpace(template)) return null;
        var name = DeploymentTemplate.Expand(template.Trim(), request.Facts, "GitOpsConfigPushBranch");
        return BranchNameRule.ValidatePushBranch(name);
    }

    /// <summary>
    /// Before anything is cloned or pushed: the forge's one read (token, repository, base branch). The base it names
    /// (the default branch when GitOpsConfigBranch is unset) is where the branch starts and what the pull request targets.
    /// A dry run calls no forge API at all.
    /// </summary>
    private DeploymentRequest PrepareProposal(DeploymentRequest request, CancellationToken cancellationToken)
    {
        if (pullRequest is null || request.DryRun) return request;
        return request with { ConfigBranch = pullRequest.Prepare(request.ConfigBranch, cancellationToken) };
    }

    /// <summary>After the write: the pull request that proposes it (a dry run prints the one it would open).</summary>
    private Deployment Propose(Deployment deployment, string message, IReadOnlyList<DeploymentFacts> facts, DeploymentRequest request, CancellationToken cancellationToken)
    {
        if (pullRequest is null) return deployment;
        var (result, outcome) = deployment;
        // A refused deploy (GITOPS060/065) proposes nothing.
        if (Verdicts(result.Change).OfType<DeployVerdict.NewerDeployed>().Any())
            return deployment;
        var title = pullRequest.Options.TitleTemplate is { } template
            ? DeploymentTemplate.Expand(template, facts[0], "GitOpsPullRequestTitle").ReplaceLineEndings(" ").Trim()
            : message.ReplaceLineEndings("\n").Split('\n')[0].Trim();
        if (request.DryRun)
        {
            log.Important(PullRequestStep.DryRunLine(pullRequest.Repository, result.Branch, request.ConfigBranch, title));
            return deployment;
        }
        var body = PullRequestBody.Render(outcome, [.. Verdicts(result.Change).Select(v => v is DeployVerdict.Edited edited ? PreviousTag(edited) : null)], pullRequest.BaseBranch!);
        var report = pullRequest.Publish(result.Branch, title, body, outcome, result.Committed, cancellationToken);
        return report is null ? deployment : deployment with { Outcome = outcome with { PullRequest = report } };
    }

    private static IReadOnlyList<AppliedChange> Verdicts(AppliedChange change) => change switch
    {
        ReleaseVerdict release => release.Images,
        _ => [change],
    };

    // The commit each image replaces, where its old tag is one (GitOps.Build's default tags): for the compare links.
    private static string? PreviousTag(DeployVerdict.Edited edited) =>
        edited.Replacements.Select(r => r.Replacement).Where(r => r.OldValue != r.NewValue).Select(r => PullRequestBody.CommitTag(r.OldValue)).FirstOrDefault(tag => tag is not null);
}
