using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// GitOpsCommitMethod=api: the forge makes the commit, with no clone. Each round reads the branch's tip through the
/// API, applies the change to it (<see cref="ForgeTree"/>: the same edit, verification and trailers as on a clone),
/// and commits onto that tip only; a branch that moved meanwhile is a lost race, read again and re-applied under the
/// same <see cref="RetryPolicy"/> (GitOpsPushRetries, back-off, GitOpsConfigTimeout) as a push.
/// </summary>
/// <remarks>
/// <paramref name="forgeSigns"/>: the credentials are a GitHub App's. A commit by the product's own identity (the
/// GitOpsCommitAuthorName/Email defaults) is then sent with no author, committer or signature, so GitHub makes and
/// signs it as the App ("Verified"); an author the user named is kept, and the commit is theirs, unsigned.
/// </remarks>
internal sealed class ForgeCommitWriter(IForgeCommits forge, IBuildLog log, ConfigWriterOptions options, Deadline deadline, bool forgeSigns,
    Backoff? backoff = null) : IConfigWriter
{
    /// <summary>GitOpsCommitAuthorName's and GitOpsCommitAuthorEmail's defaults (GitOps.Build.Sdk.targets): the product, not a person.</summary>
    public const string ProductAuthorName = "GitOps.Build";

    public const string ProductAuthorEmail = "gitops-build@noreply.localhost";

    public ConfigCommitResult Commit(ConfigCommitRequest request, IConfigChange change, ConfigClonePrefetch? prefetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(change);
        var display = request.Repository.DisplayUrl;
        var policy = new RetryPolicy(options.PushRetries, backoff ?? Backoff.Default, deadline);
        string? baseBranch = string.IsNullOrEmpty(request.Branch) ? null : request.Branch;
        ConfigCommitResult? interrupted = null;
        // A write whose call failed before its answer named the commit (one call: GitLab, Gitea, Bitbucket, Azure DevOps).
        (ForgeCommitSpec Spec, ConfigCommitResult Round)? unanswered = null;
        while (true)
        {
            deadline.ThrowIfExpired(display);
            ConfigCommitResult? written = null;
            (ForgeCommitSpec, ConfigCommitResult)? attempt = null;
            try
            {
                baseBranch ??= Run(forge.DefaultBranchAsync(cancellationToken));
                var branch = request.PushBranch ?? baseBranch;
                var phase = Stopwatch.StartNew();
                var (tip, create) = ReadTip(request, baseBranch, display, cancellationToken);
                log.Important(Messages.ForgeTipRead(display, tip.Branch, Messages.ShortSha(tip.Sha), forge.Repository.Kind.ToString(), phase.Elapsed));
                if (interrupted is not null && Holds(tip, interrupted, cancellationToken))
                {
                    log.Important(Messages.InterruptedPushLanded(Messages.ShortSha(interrupted.CommitSha!), branch));
                    return interrupted with { Attempts = policy.Attempt };
                }
                if (unanswered is { } cut && Find(tip, cut.Spec, cancellationToken) is { } landed)
                {
                    log.Important(Messages.InterruptedPushLanded(Messages.ShortSha(landed), branch));
                    return cut.Round with { CommitSha = landed, Attempts = policy.Attempt };
                }

                var tree = new ForgeTree(forge, tip, deadline, display);
                var applied = change.Apply(tree);
                if (applied.Files.Count == 0)
                {
                    log.Detail(Messages.NoChange(branch));
                    return new ConfigCommitResult(branch, null, tip.Sha, applied, policy.Attempt);
                }
                foreach (var file in applied.Files)
                {
                    if (!ConfigPath.IsCanonical(file.Path))
                        throw new ArgumentException($"'{file.Path}' is not a repository-relative file path.", nameof(change));
                    log.Detail(Messages.FileChanged(file.Path, file.OldContent.Length, file.NewContent.Length));
                }
                if (request.DryRun)
                    return new ConfigCommitResult(branch, null, tip.Sha, applied, policy.Attempt);

                request.PushCheck?.Check(other => Run(forge.ReadTipAsync(other, cancellationToken))?.Sha);
                var spec = new ForgeCommitSpec(branch, tip, create,
                    [.. applied.Files.Select(f => new ForgeFileWrite(f.Path, tree.ModeOf(f.Path), f.NewContent, tree.IdOf(f.Path)))],
                    request.Message, Author(request), create ? baseBranch : null);
                phase.Restart();
                attempt = (spec, new ConfigCommitResult(branch, null, tip.Sha, applied, policy.Attempt));
                var made = Run(forge.WriteAsync(spec, made => written = new ConfigCommitResult(branch, made, tip.Sha, applied, policy.Attempt), cancellationToken));
                if (made is not null)
                {
                    var sha = made is { AtTip: true, Sha: { } proven } ? proven : Landed(spec, made, display, cancellationToken);
                    log.Important(Messages.ForgeCommitted(Messages.ShortSha(sha), branch, display, forge.Repository.Kind.ToString(), phase.Elapsed));
                    // The check again once the commit landed: with the one before, it brackets the write (GITOPS113 names the commit).
                    request.PushCheck?.Confirm(sha, other => Run(forge.ReadTipAsync(other, cancellationToken))?.Sha);
                    return new ConfigCommitResult(branch, sha, tip.Sha, applied, policy.Attempt);
                }
                if (!policy.CanRetry)
                    throw new GitOpsException(Errors.ConfigPushConflictsExhausted, display, branch, policy.Attempt);
                log.Important(Messages.ForgeBranchMoved(branch, policy.Attempt, policy.Attempts));
            }
            // The API could not be reached or answered 5xx: another round may fix it. A commit made before the branch
            // was moved may have landed: the next tip tells.
            catch (GitOpsException e) when (e.Error == Errors.ForgeRequestFailed && policy.CanRetry)
            {
                if (written is not null) interrupted = written;
                else if (attempt is not null) unanswered = attempt;
                log.Important(Messages.ForgeRetry(policy.Attempt, policy.Attempts, display, e.Message));
            }
            policy.Retry();
        }
    }

    /// <summary>The most reads of the branch after a write whose answer cannot say where the branch is.</summary>
    internal const int LandingReads = 5;

    /// <summary>
    /// A write the forge answered as made, whose answer names only the commit (GitLab, Gitea, Bitbucket; Azure DevOps
    /// without refUpdates): the branch is read until it holds the commit, at most <see cref="LandingReads"/> times with
    /// back-off within the deadline, as forges serve reads from replicas that lag. Held as the git path's check after a
    /// push holds: the commit at the tip, or under it (a later deploy landed on top: the written file's history from
    /// the tip lists it). Never "deployed" otherwise, and never a retry, which could land the commit twice: GITOPS148.
    /// </summary>
    private string Landed(ForgeCommitSpec spec, ForgeWrite made, string display, CancellationToken cancellationToken)
    {
        var pause = backoff ?? Backoff.Default;
        var seen = "still at " + Messages.ShortSha(spec.Parent.Sha);
        var reads = 0;
        while (reads < LandingReads && deadline.KeepGoing())
        {
            if (reads > 0)
                deadline.Wait(pause.DelayBefore(reads));
            reads++;
            try
            {
                var tip = Run(forge.ReadTipAsync(spec.Branch, cancellationToken));
                seen = tip is null ? "not there" : "at " + Messages.ShortSha(tip.Sha);
                if (tip is null || tip.Sha == spec.Parent.Sha)
                    continue;
                if (made.Sha is null)
                {
                    // Bitbucket without the commit's URL: ours is the tip that holds our message on our parent's branch.
                    if (tip.Message.TrimEnd() == spec.Message.TrimEnd()) return tip.Sha;
                }
                else if (tip.Sha == made.Sha || Run(forge.HistoryAsync(tip, spec.Files[0].Path, LandingHistory, cancellationToken)).Any(c => c.Sha == made.Sha))
                    return made.Sha;
            }
            // A read that fails (unreachable, 5xx, rate limited) is one read: the commit may have landed, so the round is not retried.
            catch (GitOpsException e) when (e.Error == Errors.ForgeRequestFailed || e.Error == Errors.ForgeRateLimited)
            {
                seen = "unreadable (" + e.Message + ")";
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw new GitOpsException(Errors.ApiCommitOutcomeUnknown, forge.Repository.Kind, display, spec.Branch,
            made.Sha is null ? "(not named in the answer)" : Messages.ShortSha(made.Sha), seen, reads);
    }

    /// <summary>
    /// Whether a write cut off after the commit was made (a 5xx, a lost answer) landed: the tip is it, or a later
    /// deploy landed on top (the written file's history from the tip lists it). Re-applied on that later deploy, the
    /// change would write our older image over it: a second commit of ours reverting theirs (seventh probe).
    /// </summary>
    private bool Holds(ForgeTip tip, ConfigCommitResult interrupted, CancellationToken cancellationToken) =>
        tip.Sha == interrupted.CommitSha
        || tip.Sha != interrupted.PreviousTipSha && interrupted.Changes.Count > 0
            && Run(forge.HistoryAsync(tip, interrupted.Changes[0].Path, LandingHistory, cancellationToken)).Any(c => c.Sha == interrupted.CommitSha);

    /// <summary>
    /// The commit a write cut off before its answer named it made, found from a moved tip: in the written file's
    /// history, by its message (trailers and all: an identical message is an identical deploy), and not already in the
    /// parent's (an earlier deploy of the same build). Null: not landed.
    /// </summary>
    private string? Find(ForgeTip tip, ForgeCommitSpec spec, CancellationToken cancellationToken)
    {
        if (tip.Sha == spec.Parent.Sha)
            return null;
        var path = spec.Files[0].Path;
        HashSet<string>? before = null;
        foreach (var change in Run(forge.HistoryAsync(tip, path, LandingHistory, cancellationToken)))
        {
            if (change.Sha == spec.Parent.Sha)
                return null;
            var message = change.Message ?? Run(forge.MessageAsync(tip, change.Sha, cancellationToken));
            if (message.TrimEnd() != spec.Message.TrimEnd())
                continue;
            before ??= [.. Run(forge.HistoryAsync(spec.Parent, path, LandingHistory, cancellationToken)).Select(c => c.Sha)];
            if (!before.Contains(change.Sha))
                return change.Sha;
        }
        return null;
    }

    /// <summary>How far back from a moved tip our commit is looked for in the written file's history: later deploys of the same file.</summary>
    private const int LandingHistory = 20;

    // With a push branch: build on it when it exists (a re-run adds to the same proposal), else start it from the base.
    private (ForgeTip Tip, bool Create) ReadTip(ConfigCommitRequest request, string baseBranch, string display, CancellationToken cancellationToken)
    {
        if (request.PushBranch is { } push && Run(forge.ReadTipAsync(push, cancellationToken)) is { } pushed)
            return (pushed, false);
        var tip = Run(forge.ReadTipAsync(baseBranch, cancellationToken))
            ?? throw new GitOpsException(Errors.ConfigBranchMissing, baseBranch, display);
        return request.PushBranch is { } branch ? (tip with { Branch = branch }, true) : (tip, false);
    }

    private CommitIdentity? Author(ConfigCommitRequest request) =>
        forgeSigns && request.AuthorName == ProductAuthorName && request.AuthorEmail == ProductAuthorEmail
            ? null
            : new CommitIdentity(request.AuthorName, request.AuthorEmail, DateTimeOffset.Now);

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
