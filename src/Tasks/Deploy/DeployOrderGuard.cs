using GitOps.Build.AppRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>An image the config repository deploys that was built from a later commit than the one being deployed.</summary>
internal sealed record NewerDeployment(string OldImage, string OldCommit, string NewCommit);

/// <summary>
/// Keeps a slow pipeline from replacing an image built from a later commit of the app (builds finish out of order).
/// Each old reference's commit comes from its tag read as a commit abbreviation (the default tag scheme), else from
/// the tip config commit's trailers when they name that exact image. Anything it cannot resolve is deployed as asked:
/// the guard only ever stops a deploy it can prove is backwards.
/// </summary>
internal sealed class DeployOrderGuard(string appRepositoryDirectory, string? sourceCommit, bool allowDowngrade, IBuildLog log)
{
    private readonly HashSet<string> logged = new(StringComparer.Ordinal);

    /// <returns>The later deployment that must not be replaced, or null to go ahead.</returns>
    /// <param name="newImage">The image being deployed; its tag names the commit when no source commit was given.</param>
    /// <param name="oldValues">The values the manifest edit replaces (whole references, or bare tags).</param>
    /// <param name="tipMessage">The config branch tip's message, for its GitOps-Image / GitOps-Source-Commit trailers.</param>
    public NewerDeployment? FindNewerDeployment(ImageReference newImage, IEnumerable<string> oldValues, string? tipMessage)
    {
        using var history = AppCommitHistory.Open(appRepositoryDirectory);
        if (history is null)
        {
            LogOnce(Messages.DeployOrderUnchecked($"no Git repository at {appRepositoryDirectory}"));
            return null;
        }

        var newCommit = history.Resolve(sourceCommit) ?? history.Resolve(newImage.Tag);
        if (newCommit is null)
        {
            LogOnce(Messages.DeployOrderUnchecked($"the commit of {newImage} is not in {history.Location}"));
            return null;
        }

        foreach (var oldValue in oldValues.Distinct(StringComparer.Ordinal))
        {
            var oldCommit = history.Resolve(TagOf(oldValue)) ?? history.Resolve(TrailerCommitFor(oldValue, tipMessage));
            if (oldCommit is null)
            {
                LogOnce(Messages.DeployOrderUnchecked($"the commit of {oldValue} is not known{Shallow(history)}"));
                continue;
            }

            var mergeBase = oldCommit == newCommit ? null : history.MergeBase(oldCommit, newCommit);
            if (mergeBase is null && oldCommit != newCommit && history.IsShallow)
                LogOnce(Messages.DeployOrderUnchecked($"the history between {oldValue} and {newImage} is not in this shallow clone"));
            // Later = a descendant: the new commit is the merge base. Unrelated histories (other branches) are not ordered.
            if (mergeBase != newCommit)
                continue;

            var newer = new NewerDeployment(oldValue, oldCommit, newCommit);
            if (!allowDowngrade)
                return newer;
            LogOnce(Messages.DowngradeAllowed(oldValue, oldCommit, newCommit));
        }

        return null;
    }

    private static string Shallow(AppCommitHistory history) => history.IsShallow ? " (shallow clone)" : "";

    // A bare tag (a Kustomize newTag, a Helm tag) would also parse as a repository name ("1a2b3c4"): only a value
    // with a registry, path, tag or digest separator is a whole reference.
    private static string? TagOf(string oldValue) =>
        oldValue.IndexOfAny(['/', ':', '@']) < 0 ? oldValue
        : ImageReference.TryParse(oldValue, out var reference) ? reference.Tag : null;

    /// <summary>
    /// The source commit the tip's trailers record for exactly this image value: a single deploy's GitOps-Source-Commit
    /// when its GitOps-Image is this value, or in a release the one of this image's group (or the release's shared one).
    /// </summary>
    private static string? TrailerCommitFor(string oldValue, string? tipMessage) =>
        tipMessage is null ? null : CommitMessage.ReadImages(tipMessage).LastOrDefault(image => image.Image == oldValue)?.SourceCommit;

    private void LogOnce(string message)
    {
        // The writer re-applies the change after every lost push race: say each thing once.
        if (logged.Add(message))
            log.Important(message);
    }
}
