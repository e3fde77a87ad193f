using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// The push of the config commit: only onto its parent (so the pack is the edit's objects), never forced, and checked
/// afterwards to have moved the branch.
/// </summary>
internal sealed partial class ConfigRepositoryClone
{
    /// <summary>
    /// Pushes the branch onto the tip it was cloned at, then checks that the remote branch is at the pushed commit. False
    /// when the remote branch moved since the clone (ahead, or rewound); throws GITOPS023 when the server refused the
    /// update for another reason (hook, protected branch), GITOPS117 when it accepted the update but the branch did not move.
    /// </summary>
    /// <remarks>
    /// <paramref name="deadline"/>: the pushing writer's limit, not the one of the clone (which may have been made
    /// early, by <see cref="ConfigClonePrefetch"/>, minutes before).
    /// </remarks>
    public bool TryPush(string commitSha, Deadline deadline)
    {
        if (treeless is not null)
            return TryPushTreeless(commitSha, deadline);
        var rejections = new List<PushStatusError>();
        // Where the remote branch must be: at our parent, or absent for a branch this clone started.
        var expected = started ? ObjectId.Zero : Tip.Id;
        var moved = false;
        var options = new PushOptions
        {
            // Server-side rejections arrive only here, and throwing inside this callback aborts the process: collect them.
            OnPushStatusError = rejections.Add,
            // libgit2 pushes onto any ancestor it holds (a branch rewound since the clone): it would pack every commit in
            // between and publish them again. Only onto our parent, so the pack holds the edit's objects and nothing else.
            OnNegotiationCompletedBeforePush = updates => !(moved = updates.Any(update => update.SourceObjectId != expected)),
            OnPushTransferProgress = (_, _, _) => deadline.KeepGoing(),
            OnPackBuilderProgress = (_, _, _) => deadline.KeepGoing(),
        };

        try
        {
            // No '+': never force. The remote must still be at our parent. The remote's URL is the one the clone was
            // given (access.LibGit2Url): it routes the push to our transport, which takes the address from the location.
            access.Run(deadline,
                () => repository.Network.Push(repository.Network.Remotes[RemoteName], $"{BranchReference}:{BranchReference}", options));
        }
        catch (LibGit2SharpException e) when (moved || GitErrorClassifier.Classify(e) == GitFailure.Conflict)
        {
            return false;
        }

        if (rejections.Count == 0)
        {
            VerifyPushed(commitSha, deadline);
            return true;
        }
        if (rejections.All(rejection => GitErrorClassifier.IsConflict(rejection.Message)))
            return false;

        var reasons = string.Join("; ", rejections.Select(rejection => UrlRedactor.Redact(rejection.Message)));
        throw new GitOpsException(Errors.ConfigPushRejected, location.DisplayUrl, Branch, reasons);
    }

    /// <summary>
    /// Where <paramref name="branch"/> is on the remote now (null: it is not there): a listing of its refs, through the
    /// same transport as the push. A treeless clone's ls-refs that cannot be read falls back to libgit2's listing: it
    /// must not pass for "the treeless clone is unavailable", which after a push would clone again and take our own
    /// commit at the tip for a deploy already there.
    /// </summary>
    public string? RemoteTip(string branch, Deadline deadline)
    {
        if (treeless is not null)
        {
            try
            {
                return treeless.RemoteTip(branch, deadline);
            }
            catch (TreelessUnavailableException)
            {
                // Read the refs the way a clone does instead.
            }
        }
        return access.Run(deadline, () => repository.Network.ListReferences(access.LibGit2Url)
            .FirstOrDefault(reference => reference.CanonicalName == "refs/heads/" + branch)?.ResolveToDirectReference()?.TargetIdentifier);
    }

    /// <summary>
    /// The server said "ok": asks it for the branch (a listing of its refs, through the same transport) and fails when
    /// the branch is not at <paramref name="commitSha"/>. A hook or a replica can accept an update and still leave the ref
    /// where it was, and a deploy reported as done would then not be (what git's --atomic users check as well).
    /// </summary>
    /// <exception cref="GitOpsException">GITOPS117 when the branch is still at the tip the commit was made on, or gone.</exception>
    /// <exception cref="GitOpsException">GITOPS119 when no listing could be read: the push's outcome is unknown.</exception>
    private void VerifyPushed(string commitSha, Deadline deadline)
    {
        string? remoteTip;
        try
        {
            remoteTip = RemoteTip(Branch, deadline);
        }
        catch (LibGit2SharpException e) when (deadline.KeepGoing())
        {
            // Not a failure to retry or to clone again after: the push may have landed.
            throw new GitOpsException(Errors.ConfigPushOutcomeUnknown, location.DisplayUrl, Branch, Messages.ShortSha(commitSha), UrlRedactor.Redact(e.Message));
        }
        // Another tip than ours or the old one: a later push landed on top of ours, as pushes that race do.
        if (remoteTip == commitSha || (remoteTip is not null && remoteTip != Tip.Sha))
            return;
        throw new GitOpsException(Errors.ConfigPushNotApplied, location.DisplayUrl, Branch, Messages.ShortSha(commitSha),
            remoteTip is null ? "is not there" : "is still at " + Messages.ShortSha(remoteTip));
    }
}
