using System.Diagnostics;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.Git;

/// <summary>
/// Commits a change to the GitOps config repository and pushes it, retrying from a fresh clone when another push
/// wins the race. Each round: bare clone of the branch tip, apply the change to the tip's tree, commit, push.
/// </summary>
public sealed class ConfigRepositoryWriter
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

        var location = ConfigRepositoryLocation.Parse(request.RepositoryUrl);
        var deadline = new Deadline(options.Timeout, cancellationToken);
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

    private ConfigCommitResult CommitWithRetries(ConfigCommitRequest request, IConfigChange change, ConfigRepositoryLocation location, Deadline deadline,
        ConfigClonePrefetch? prefetch)
    {
        var credentialsHandler = (credentials ?? location.EmbeddedCredentials)?.ToHandler();
        var attempts = options.PushRetries + 1;
        ConfigCommitResult? interruptedPush = null;
        for (var attempt = 1; ; attempt++)
        {
            deadline.ThrowIfExpired(location.DisplayUrl);
            var phase = Stopwatch.StartNew();
            var early = attempt == 1 ? TakePrefetched(prefetch, request) : null;
            ConfigRepositoryClone clone;
            try
            {
                clone = early ?? Clone(request, location, credentialsHandler, deadline);
            }
            catch (LibGit2SharpException e) when (attempt < attempts && GitErrorClassifier.Classify(e) is (GitFailure.Unreachable or GitFailure.Conflict) and var failure)
            {
                var reason = GitErrorClassifier.Describe(e);
                log.Important(failure == GitFailure.Conflict
                    ? Messages.CloneRaced(attempt, attempts, location.DisplayUrl, reason)
                    : Messages.CloneRetry(attempt, attempts, location.DisplayUrl, reason));
                deadline.Wait(backoff.DelayBefore(attempt));
                continue;
            }

            using (clone)
            {
                log.Important(early is null
                    ? Messages.Cloned(location.DisplayUrl, clone.Branch, Short(clone.Tip.Sha), phase.Elapsed)
                    : Messages.ClonedDuringBuild(location.DisplayUrl, clone.Branch, Short(clone.Tip.Sha), prefetch!.Elapsed));
                log.Detail(Messages.CloneDirectory(clone.Directory));
                if (interruptedPush is not null && clone.Tip.Sha == interruptedPush.CommitSha)
                {
                    log.Important(Messages.InterruptedPushLanded(Short(clone.Tip.Sha), clone.Branch));
                    return interruptedPush with { Attempts = attempt };
                }

                var changes = clone.Tree.ChangesFrom(change.Apply(clone.Tree));
                if (changes.Count == 0)
                {
                    log.Detail(Messages.NoChange(clone.Branch));
                    return new ConfigCommitResult(clone.Branch, null, clone.Tip.Sha, changes, attempt);
                }

                foreach (var file in changes)
                    log.Detail(Messages.FileChanged(file.Path, file.OldContent.Length, file.NewContent.Length));
                if (request.DryRun)
                {
                    return new ConfigCommitResult(clone.Branch, null, clone.Tip.Sha, changes, attempt);
                }

                phase.Restart();
                var commit = clone.Commit(changes, request.Message, new Signature(request.AuthorName, request.AuthorEmail, DateTimeOffset.Now));
                log.Detail(Messages.Committed(Short(commit.Sha), changes.Count, clone.Branch, phase.Elapsed));

                phase.Restart();
                bool pushed;
                try
                {
                    pushed = clone.TryPush(deadline);
                }
                catch (LibGit2SharpException e) when (attempt < attempts && GitErrorClassifier.Classify(e) == GitFailure.Unreachable)
                {
                    // The server may have applied the push before the connection broke: the next clone tells.
                    log.Important(Messages.PushInterrupted(attempt, attempts, location.DisplayUrl, GitErrorClassifier.Describe(e)));
                    interruptedPush = new ConfigCommitResult(clone.Branch, commit.Sha, clone.Tip.Sha, changes, attempt);
                    pushed = false;
                }

                if (pushed)
                {
                    log.Important(Messages.Pushed(Short(commit.Sha), clone.Branch, location.DisplayUrl, phase.Elapsed));
                    return new ConfigCommitResult(clone.Branch, commit.Sha, clone.Tip.Sha, changes, attempt);
                }

                if (early is not null && interruptedPush is null)
                {
                    // Not contention: the branch moved while the app built. A fresh clone is one more round, not a retry.
                    log.Important(Messages.BranchMovedDuringBuild(clone.Branch));
                    prefetch = null;
                    attempt = 0;
                    continue;
                }

                if (interruptedPush?.CommitSha != commit.Sha)
                {
                    if (attempt == attempts)
                        throw new GitOpsException(Errors.ConfigPushConflictsExhausted, location.DisplayUrl, clone.Branch, attempt);
                    log.Important(Messages.BranchMoved(clone.Branch, attempt, attempts));
                }
            }

            deadline.Wait(backoff.DelayBefore(attempt));
        }
    }

    private ConfigRepositoryClone? TakePrefetched(ConfigClonePrefetch? prefetch, ConfigCommitRequest request)
    {
        if (prefetch is null) return null;
        var clone = prefetch.TryTake(request, out var failure);
        if (failure is not null)
            log.Detail(Messages.CloneDuringBuildFailed(failure));
        return clone;
    }

    // With a push branch: build on it when it exists (a re-run adds to the same proposal), else start it from the target.
    private ConfigRepositoryClone Clone(ConfigCommitRequest request, ConfigRepositoryLocation location, LibGit2Sharp.Handlers.CredentialsHandler? credentialsHandler, Deadline deadline)
    {
        if (string.IsNullOrEmpty(request.PushBranch))
            return ConfigRepositoryClone.Create(location, request.Branch, credentialsHandler, options.Ssh, options.WorkDirectory, deadline);

        try
        {
            return ConfigRepositoryClone.Create(location, request.PushBranch, credentialsHandler, options.Ssh, options.WorkDirectory, deadline);
        }
        catch (GitOpsException e) when (e.Error == Errors.ConfigBranchMissing)
        {
            var clone = ConfigRepositoryClone.Create(location, request.Branch, credentialsHandler, options.Ssh, options.WorkDirectory, deadline);
            clone.StartBranch(request.PushBranch);
            return clone;
        }
    }

    private static string Short(string sha) => sha[..SourceRevision.MinimumAbbreviation];
}
