using System.Diagnostics;
using GitOps.Build.Diagnostics;
using GitOps.Build.Git;

namespace GitOps.Build.Deploy;

/// <summary>Commits an image reference into the config repository's manifests: the CI half's last step.</summary>
public sealed class ConfigDeployer(GitCredentials? credentials, IBuildLog log, ConfigWriterOptions? options = null)
{
    public ConfigCommitResult Deploy(DeploymentRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Manifests.Count == 0)
            throw new GitOpsException(Errors.ManifestPathMissing);

        var repositoryForDisplay = UrlRedactor.Redact(request.ConfigRepository);
        var message = CommitMessage.Render(request.CommitMessageTemplate, request.Facts);
        var change = new ManifestImageChange(request.Manifests, request.Facts.Image,
            string.IsNullOrEmpty(request.ConfigBranch) ? "(default)" : request.ConfigBranch, repositoryForDisplay,
            request.OrderCheck is { } order ? new DeployOrderGuard(order.AppRepositoryDirectory, request.Facts.SourceCommit, order.AllowDowngrade, log) : null);

        var clock = Stopwatch.StartNew();
        var result = new ConfigRepositoryWriter(credentials, log, options).Commit(
            new ConfigCommitRequest(request.ConfigRepository, request.ConfigBranch, message,
                request.AuthorName, request.AuthorEmail, request.DryRun),
            change, cancellationToken);

        foreach (var (path, replacement) in change.Replacements)
            log.Detail(Messages.ImageReplaced(path, replacement.Line, replacement.OldValue, replacement.NewValue));

        var image = request.Facts.Image.ToString();
        if (change.NewerDeployed is { } newer)
        {
            log.Warning(Errors.NewerImageDeployed, repositoryForDisplay, result.Branch, newer.OldImage, newer.OldCommit, newer.NewCommit, image);
            return result;
        }
        if (request.DryRun)
            log.Important(Messages.DryRunDiff(repositoryForDisplay, result.Branch, UnifiedDiff.Format(result.Changes)));
        else if (result.Committed)
            log.Important(Messages.ConfigCommitted(image, repositoryForDisplay, result.Branch, result.CommitSha!, clock.Elapsed));
        else
            log.Important(Messages.AlreadyDeployed(image, repositoryForDisplay, result.Branch));
        return result;
    }
}
