using System.Diagnostics;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Commits a change to the GitOps config repository and pushes it, retrying from a fresh clone when another push
/// wins the race. Each round: bare clone of the branch tip, apply the change to the tip's tree, commit, push.
/// </summary>
internal sealed class ConfigRepositoryWriter : IConfigWriter
{
    private readonly GitCredentials? credentials;
    private readonly IBuildLog log;
    private readonly ConfigWriterOptions options;
    private readonly Backoff backoff;

    public ConfigRepositoryWriter(GitCredentials? credentials, IBuildLog log, ConfigWriterOptions? options = null)
        : this(credentials, log, options, Backoff.Default)
    {
    }

    internal ConfigRepositoryWriter(GitCredentials? credentials, IBuildLog log, ConfigWriterOptions? options, Backoff backoff)
    {
        this.credentials = credentials;
        this.log = log ?? throw new ArgumentNullException(nameof(log));
        this.options = options ?? new ConfigWriterOptions();
        this.backoff = backoff;
        ArgumentOutOfRangeException.ThrowIfNegative(this.options.PushRetries, nameof(options));
    }

    /// <remarks><paramref name="prefetch"/>: a clone started earlier, used for the first round if it is of the same branch.</remarks>
    /// <exception cref="GitOpsException">A GITOPS02x/03x error that names what to fix.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> was cancelled.</exception>
    public ConfigCommitResult Commit(ConfigCommitRequest request, IConfigChange change, ConfigClonePrefetch? prefetch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(change);

        var location = request.Repository;
        var deadline = new Deadline(options.Timeout, cancellationToken, options.Time);
        try
        {
            return CommitWithRetries(request, change, location, deadline, prefetch);
        }
        catch (LibGit2SharpException e) when (GitErrorClassifier.Classify(e) == GitFailure.Cancelled)
        {
            // Our progress callback stopped libgit2: find out which limit did it.
            deadline.ThrowIfExpired(location.DisplayUrl);
            throw GitErrorClassifier.ToGitOpsException(e, location.DisplayUrl);
        }
        catch (LibGit2SharpException e)
        {
            throw GitErrorClassifier.ToGitOpsException(e, location.DisplayUrl);
        }
    }

    // Each round: clone the tip (or, after a lost race, fetch the new one into the clone), apply the change, commit, push.
    // RetryPolicy says when another round follows.
    private ConfigCommitResult CommitWithRetries(ConfigCommitRequest request, IConfigChange change, ConfigRepositoryLocation location, Deadline deadline,
        ConfigClonePrefetch? prefetch)
    {
        var remoteCredentials = location.Credentials(credentials);
        var policy = new RetryPolicy(options.PushRetries, backoff, deadline);
        ConfigCommitResult? interruptedPush = null;
        ConfigRepositoryClone? advanced = null;
        // Treeless while the server serves it; after it said it does not (one log line), clones.
        var treeless = true;
        var refInWantLogged = false;
        while (true)
        {
            deadline.ThrowIfExpired(location.DisplayUrl);
            var early = advanced is null ? TakePrefetched(prefetch, request) : null;
            prefetch = null; // the first round only
            var clone = advanced ?? early ?? TryClone(request, location, remoteCredentials, deadline, policy, treeless);
            advanced = null;
            if (clone is null)
            {
                policy.Retry();
                continue;
            }
            if (!refInWantLogged && clone.RefInWantDeclined is { } declined)
            {
                log.Detail(Messages.RefInWantDeclined(location.DisplayUrl, declined));
                refInWantLogged = true;
            }
            if (treeless && clone.TreelessUnavailable is { } unavailable)
            {
                log.Important(Messages.TreelessUnavailable(location.DisplayUrl, unavailable));
                treeless = false;
            }

            try
            {
                if (Round(clone, request, change, location, deadline, policy, ref interruptedPush, early is not null) is { } result)
                    return result;
                // Another round: on the same clone, moved onto the branch's new tip, when the fetch gives a complete one.
                advanced = TryAdvance(clone, location, deadline);
                if (advanced is not null)
                    clone = null;
            }
            catch (TreelessUnavailableException e)
            {
                // Refused a want by id, or answered what cannot be read, before anything was pushed: clone, not a retry.
                log.Important(Messages.TreelessUnavailable(location.DisplayUrl, e.Message));
                treeless = false;
            }
            finally
            {
                clone?.Dispose();
            }
        }
    }

    /// <summary>One round on <paramref name="clone"/>: the result, or null when another round follows (its back-off waited).</summary>
    private ConfigCommitResult? Round(ConfigRepositoryClone clone, ConfigCommitRequest request, IConfigChange change, ConfigRepositoryLocation location,
        Deadline deadline, RetryPolicy policy, ref ConfigCommitResult? interruptedPush, bool early)
    {
        log.Detail(Messages.CloneDirectory(clone.Directory));
        if (interruptedPush is not null && clone.Tip.Sha == interruptedPush.CommitSha)
        {
            log.Important(Messages.InterruptedPushLanded(Messages.ShortSha(clone.Tip.Sha), clone.Branch));
            return interruptedPush with { Attempts = policy.Attempt };
        }

        // Bounded by this write's deadline: a clone made during the build carries the prefetch's.
        var tree = clone.Tree.Within(deadline, location.DisplayUrl);
        tree.Prefetch(change.Reads);
        var applied = change.Apply(tree);
        var changes = applied.Files;
        if (changes.Count == 0)
        {
            log.Detail(Messages.NoChange(clone.Branch));
            return new ConfigCommitResult(clone.Branch, null, clone.Tip.Sha, applied, policy.Attempt);
        }

        clone.Tree.ThrowIfNotWritable(changes);
        foreach (var file in changes)
            log.Detail(Messages.FileChanged(file.Path, file.OldContent.Length, file.NewContent.Length));
        if (request.DryRun)
            return new ConfigCommitResult(clone.Branch, null, clone.Tip.Sha, applied, policy.Attempt);

        var phase = Stopwatch.StartNew();
        var commit = clone.Commit(changes, request.Message, new Signature(request.AuthorName, request.AuthorEmail, DateTimeOffset.Now), deadline, options.Signer);
        log.Detail(Messages.Committed(Messages.ShortSha(commit.Sha), changes.Count, clone.Branch, phase.Elapsed));
        var round = new ConfigCommitResult(clone.Branch, commit.Sha, clone.Tip.Sha, applied, policy.Attempt);
        request.PushCheck?.Check(branch => clone.RemoteTip(branch, deadline));
        switch (Push(clone, round, location, deadline, policy))
        {
            case PushEnd.Pushed:
                request.PushCheck?.Confirm(round.CommitSha!, branch => clone.RemoteTip(branch, deadline));
                if (clone.Transfer is { } transfer)
                    log.Important(Messages.TreelessTransfer(transfer.RoundTrips, transfer.BytesSent, transfer.BytesReceived, transfer.ServerWait));
                return round;
            case PushEnd.Interrupted:
                // The server may have applied the push before the connection broke: the next tip tells.
                interruptedPush = round;
                break;
            case PushEnd.Lost when early:
                // Not contention: the branch moved while the app built. Another round is free, not a retry.
                log.Important(Messages.BranchMovedDuringBuild(clone.Branch));
                return null;
            case PushEnd.Lost when !policy.CanRetry:
                throw new GitOpsException(Errors.ConfigPushConflictsExhausted, location.DisplayUrl, clone.Branch, policy.Attempt);
            case PushEnd.Lost:
                log.Important(Messages.BranchMoved(clone.Branch, policy.Attempt, policy.Attempts));
                break;
        }

        policy.Retry();
        return null;
    }

    /// <summary>The clone moved onto the branch's new tip, or null (then the next round clones afresh).</summary>
    private ConfigRepositoryClone? TryAdvance(ConfigRepositoryClone clone, ConfigRepositoryLocation location, Deadline deadline)
    {
        var phase = Stopwatch.StartNew();
        if (!clone.TryAdvance(deadline))
            return null;
        log.Important(Messages.Fetched(location.DisplayUrl, clone.Branch, Messages.ShortSha(clone.Tip.Sha), phase.Elapsed));
        return clone;
    }

    private enum PushEnd
    {
        Pushed,
        /// <summary>The branch moved since the clone: another push won.</summary>
        Lost,
        /// <summary>The connection broke: the push may or may not have landed.</summary>
        Interrupted,
    }

    /// <summary>A fresh clone; null when it failed in a way another round may fix and the policy allows one (logged).</summary>
    private ConfigRepositoryClone? TryClone(ConfigCommitRequest request, ConfigRepositoryLocation location,
        GitCredentials? remoteCredentials, Deadline deadline, RetryPolicy policy, bool treeless)
    {
        var phase = Stopwatch.StartNew();
        try
        {
            var clone = Clone(request, location, remoteCredentials, deadline, treeless);
            log.Important(clone.IsTreeless
                ? Messages.FetchedTreeless(location.DisplayUrl, clone.Branch, Messages.ShortSha(clone.Tip.Sha), phase.Elapsed)
                : Messages.Cloned(location.DisplayUrl, clone.Branch, Messages.ShortSha(clone.Tip.Sha), phase.Elapsed));
            return clone;
        }
        catch (LibGit2SharpException e) when (policy.CanRetry && GitErrorClassifier.Classify(e) is var failure && RetryPolicy.IsRetried(failure))
        {
            var reason = GitErrorClassifier.Describe(e);
            log.Important(failure == GitFailure.Conflict
                ? Messages.CloneRaced(policy.Attempt, policy.Attempts, location.DisplayUrl, reason)
                : Messages.CloneRetry(policy.Attempt, policy.Attempts, location.DisplayUrl, reason));
            return null;
        }
    }

    private PushEnd Push(ConfigRepositoryClone clone, ConfigCommitResult round, ConfigRepositoryLocation location, Deadline deadline, RetryPolicy policy)
    {
        var phase = Stopwatch.StartNew();
        try
        {
            if (!clone.TryPush(round.CommitSha!, deadline))
                return PushEnd.Lost;
        }
        catch (LibGit2SharpException e) when (policy.CanRetry && GitErrorClassifier.Classify(e) == GitFailure.Unreachable)
        {
            log.Important(Messages.PushInterrupted(policy.Attempt, policy.Attempts, location.DisplayUrl, GitErrorClassifier.Describe(e)));
            return PushEnd.Interrupted;
        }

        log.Important(Messages.Pushed(Messages.ShortSha(round.CommitSha!), clone.Branch, location.DisplayUrl, phase.Elapsed));
        return PushEnd.Pushed;
    }

    private ConfigRepositoryClone? TakePrefetched(ConfigClonePrefetch? prefetch, ConfigCommitRequest request)
    {
        if (prefetch is null) return null;
        var clone = prefetch.TryTake(request, out var failure);
        if (failure is not null)
            log.Detail(Messages.CloneDuringBuildFailed(failure));
        if (clone is not null)
            log.Important(Messages.ClonedDuringBuild(request.Repository.DisplayUrl, clone.Branch, Messages.ShortSha(clone.Tip.Sha), prefetch.Elapsed));
        return clone;
    }

    // With a push branch: build on it when it exists (a re-run adds to the same proposal), else start it from the target.
    private ConfigRepositoryClone Clone(ConfigCommitRequest request, ConfigRepositoryLocation location, GitCredentials? remoteCredentials, Deadline deadline,
        bool treeless)
    {
        if (string.IsNullOrEmpty(request.PushBranch))
            return ConfigRepositoryClone.Create(location, request.Branch, remoteCredentials, options, deadline, treeless: treeless);

        try
        {
            return ConfigRepositoryClone.Create(location, request.PushBranch, remoteCredentials, options, deadline, treeless: treeless);
        }
        catch (GitOpsException e) when (e.Error == Errors.ConfigBranchMissing)
        {
            var clone = ConfigRepositoryClone.Create(location, request.Branch, remoteCredentials, options, deadline, treeless: treeless);
            clone.StartBranch(request.PushBranch);
            return clone;
        }
    }
}
