using GitOps.Build.Ci;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;

namespace GitOps.Build.Deploy;

/// <summary>
/// The forge half of a deploy through a pull request: one read before the push (so a bad token leaves no branch
/// behind), then after it: update the open pull request from the same head into the same base, or open one; close
/// this product's older deploy pull requests for the same images and manifests (supersede); ask for auto-merge.
/// Forge-agnostic: every call goes through <see cref="IForgeClient"/>.
/// </summary>
internal sealed class PullRequestStep(IForgeClient client, PullRequestOptions options, IBuildLog log) : IDisposable
{
    /// <summary>The base branch, known after <see cref="Prepare"/>.</summary>
    public string? BaseBranch { get; private set; }

    public ForgeRepository Repository => client.Repository;

    public PullRequestOptions Options => options;

    /// <summary>Before the push: checks the token, the repository and its base branch; returns the base branch.</summary>
    public string Prepare(string? configBranch, CancellationToken cancellationToken)
    {
        // Refused before anything is pushed, not after.
        if (options.AutoMerge && client.Repository.Kind == ForgeKind.Bitbucket)
            throw new GitOpsException(Errors.AutoMergeUnsupported, client.Repository.Kind);
        BaseBranch = Run(client.CheckAccessAsync(string.IsNullOrEmpty(configBranch) ? null : configBranch, cancellationToken));
        log.Detail($"GitOps: the {client.Repository.Kind} API {client.Repository.ApiRoot} accepts the token for {client.Repository.FullName} ('{BaseBranch}').");
        return BaseBranch;
    }

    /// <summary>
    /// After the write: the pull request from <paramref name="head"/>, updated or opened (null when nothing changed
    /// and none is open). Any failure is GITOPS131, naming the pushed branch and commit.
    /// </summary>
    public PullRequestReport? Publish(string head, string title, string body, DeploymentOutcome outcome, bool committed, CancellationToken cancellationToken)
    {
        var baseBranch = BaseBranch ?? throw new InvalidOperationException("Prepare first.");
        try
        {
            var spec = new PullRequestSpec(head, baseBranch, title, body, options.Labels, options.Draft, options.Reviewers);
            var existing = Run(client.FindOpenPullRequestAsync(head, baseBranch, cancellationToken));
            PullRequestReport result;
            PullRequest pullRequest;
            if (!committed)
            {
                // Nothing new to propose: report the open pull request as it is, or open one for a branch an earlier
                // run pushed but could not propose (GITOPS131); a branch with nothing to merge has none.
                if (existing is not null)
                {
                    log.Important($"GitOps: pull request {existing.Url} already proposes it.");
                    return new PullRequestReport(existing.Url, existing.Number, false);
                }
                try
                {
                    pullRequest = Run(client.OpenPullRequestAsync(spec, cancellationToken));
                }
                catch (GitOpsException e) when (e.Error == Errors.ForgeValidationFailed || e.Error == Errors.ForgeNotFound)
                {
                    log.Detail($"GitOps: no pull request from '{head}': {e.Message}");
                    return null;
                }
                result = new PullRequestReport(pullRequest.Url, pullRequest.Number, true);
            }
            else if (existing is not null)
            {
                pullRequest = Run(client.UpdatePullRequestAsync(existing, spec, cancellationToken));
                result = new PullRequestReport(pullRequest.Url, pullRequest.Number, false);
            }
            else
            {
                (pullRequest, var created) = OpenOrAdopt(spec, cancellationToken);
                result = new PullRequestReport(pullRequest.Url, pullRequest.Number, created);
            }
            log.Important(result.Created
                ? $"GitOps: opened pull request {result.Url} from '{head}' into '{baseBranch}'."
                : $"GitOps: updated pull request {result.Url} from '{head}' into '{baseBranch}'.");

            if (options.Supersede && committed)
                Supersede(pullRequest, outcome, head, cancellationToken);
            if (options.AutoMerge)
                AutoMerge(pullRequest, cancellationToken);
            return result;
        }
        catch (GitOpsException e) when (e.Error != Errors.PullRequestNotOpened)
        {
            throw new GitOpsException(e, Errors.PullRequestNotOpened, outcome.ConfigCommit ?? "(already pushed)", head, outcome.ConfigRepository, e.Message);
        }
    }

    /// <summary>What a dry run prints instead of calling the forge.</summary>
    public static string DryRunLine(ForgeRepository repository, string head, string? baseBranch, string title) =>
        $"GitOps: dry run: would open (or update) a {repository.Kind} pull request in {repository.FullName} from '{head}' into '{(string.IsNullOrEmpty(baseBranch) ? "(default branch)" : baseBranch)}': {title}";

    public void Dispose() => client.Dispose();

    // Another run may open the same pull request between the search and the create: then it is updated, not duplicated.
    private (PullRequest, bool Created) OpenOrAdopt(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return (Run(client.OpenPullRequestAsync(spec, cancellationToken)), true);
        }
        catch (GitOpsException e) when (e.Error == Errors.ForgeValidationFailed
                                        && Run(client.FindOpenPullRequestAsync(spec.Head, spec.Base, cancellationToken)) is { } raced)
        {
            return (Run(client.UpdatePullRequestAsync(raced, spec, cancellationToken)), false);
        }
    }

    /// <summary>Closes this product's older open deploy pull requests for the same images and manifests into the same base.</summary>
    private void Supersede(PullRequest current, DeploymentOutcome outcome, string head, CancellationToken cancellationToken)
    {
        var ours = PullRequestBody.Recognise(current.Body);
        if (ours is null) return;
        var prefix = HeadPrefix(head);
        try
        {
            var older = Run(client.ListOpenPullRequestsAsync(current.Base, cancellationToken))
                .Where(p => p.Number != current.Number && p.Head != head && p.Head.StartsWith(prefix, StringComparison.Ordinal))
                .Where(p => PullRequestBody.Recognise(p.Body) is { } theirs
                            && theirs.Images.SetEquals(ours.Value.Images) && theirs.Manifests.SetEquals(ours.Value.Manifests))
                .ToList();
            foreach (var pull in older)
            {
                Run(client.ClosePullRequestAsync(pull, $"Superseded by {current.Url} (GitOps.Build: a later deploy of the same images to the same manifests).", cancellationToken));
                log.Important($"GitOps: closed pull request {pull.Url}, superseded by {current.Url}; its branch '{pull.Head}' is deleted.");
            }
        }
        catch (GitOpsException e)
        {
            log.Warning(Errors.PullRequestFollowUpFailed, current.Url, "closing the older deploy pull requests (GitOpsPullRequestSupersede)", e.Message);
        }
    }

    private void AutoMerge(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = Run(client.EnableAutoMergeAsync(pullRequest, options.MergeMethod, cancellationToken));
            if (outcome.State == AutoMergeState.Disabled)
                log.Warning(Errors.AutoMergeDisabled, pullRequest.Url, outcome.Detail ?? "the repository does not allow it");
            else
                log.Important($"GitOps: {pullRequest.Url} merges ({options.MergeMethod.ToString().ToLowerInvariant()}) once its checks pass.");
        }
        catch (GitOpsException e) when (e.Error != Errors.AutoMergeUnsupported)
        {
            log.Warning(Errors.PullRequestFollowUpFailed, pullRequest.Url, "turning on auto-merge (GitOpsPullRequestAutoMerge)", e.Message);
        }
    }

    /// <summary>The head's first path segment and slash ("gitops/"): the branches this product's pull requests come from.</summary>
    internal static string HeadPrefix(string head) => head.IndexOf('/') is var slash and > 0 ? head[..(slash + 1)] : "";

    // MSBuild tasks are synchronous; the clients are async because Octokit is. No synchronization context here.
    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Run(Task task) => task.GetAwaiter().GetResult();
}
