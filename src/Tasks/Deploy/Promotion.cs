using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// A promotion is a deploy whose image and provenance come from the config repository instead of the build: exactly
/// the image the source environment runs, with the source-commit trailers of the deploy commit that put it there.
/// </summary>
internal static class Promotion
{
    /// <summary>Argo CD's commit-tracing trailers name the app commit: carried over as they were written.</summary>
    private const string ArgoCdTrailerPrefix = "Argocd-reference-commit-";

    /// <summary>The deploy's facts: the source environment's image, its provenance, and where it was promoted from.</summary>
    /// <remarks>buildUrl: this run's URL (the promotion's own build), or null. argoCdTrailers: GitOpsArgoCdTrailers, carry Argo CD's trailers over too.</remarks>
    public static DeploymentFacts Facts(EnvironmentState from, string? buildUrl, bool argoCdTrailers)
    {
        List<KeyValuePair<string, string>> trailers =
        [
            new(CommitMessage.PromotedFromTrailer, from.Environment),
            new(CommitMessage.PromotedFromCommitTrailer, from.TipSha),
        ];
        if (from.DeployCommit is { } deploy)
            trailers.Add(new(CommitMessage.PromotedFromDeployCommitTrailer, deploy.Sha));
        if (argoCdTrailers)
            trailers.AddRange(from.Trailers.Where(t => t.Key.StartsWith(ArgoCdTrailerPrefix, StringComparison.OrdinalIgnoreCase)));

        var image = from.Deployed.Image;
        return new DeploymentFacts(
            image,
            image.Digest ?? from.Trailer(CommitMessage.ImageDigestTrailer),
            from.Trailer(CommitMessage.SourceCommitTrailer),
            from.Trailer(CommitMessage.SourceRepositoryTrailer),
            from.Trailer(CommitMessage.ProjectTrailer),
            buildUrl,
            AppCommit: null,
            MoreTrailers: trailers);
    }

    /// <summary>What to write when GitOpsImageReferenceFormat is not set: the parts the source environment has, no more, no fewer.</summary>
    public static ImageReferenceFormat FormatOf(ImageReference image) =>
        (image.Tag, image.Digest) switch
        {
            (not null, not null) => ImageReferenceFormat.TagAndDigest,
            (null, not null) => ImageReferenceFormat.Digest,
            _ => ImageReferenceFormat.Tag,
        };

    /// <summary>The default commit subject: braces in names are escaped, the rest are the usual tokens.</summary>
    public static string DefaultMessage(string from, string to) =>
        $"Promote {{Repository}}:{{Tag}} from {Escape(from)} to {Escape(to)}";

    private static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}

/// <summary>
/// The environment a promotion read its image from. On the branch the promotion commits to (<paramref name="Branch"/>
/// null), the deployer reads it again from each tip it would commit to; on another branch, the remote's tip of that
/// branch is compared with <paramref name="TipSha"/> just before each push, and read again when it moved. Either way a
/// deploy to it that landed after it was read is noticed (GITOPS112) instead of promoting what it no longer runs.
/// </summary>
/// <param name="Environment">The source environment's name, for messages.</param>
/// <param name="Manifests">Its manifests.</param>
/// <param name="Name">The image name looked for in them.</param>
/// <param name="Image">The image it ran when it was read.</param>
/// <param name="Branch">The source environment's branch when it is not the one the promotion commits to.</param>
/// <param name="TipSha">That branch's tip the image was read at.</param>
internal sealed record PromotionSource(string Environment, IReadOnlyList<ManifestTarget> Manifests, ImageReference Name, ImageReference Image,
    string? Branch = null, string? TipSha = null)
{
    /// <summary>What <see cref="Check"/> reads of the tree.</summary>
    public IReadOnlyList<TreeRead> Reads => [.. Manifests.Select(manifest => ManifestSelection.Read(manifest.Path))];

    /// <exception cref="GitOpsException">GITOPS112 when <paramref name="tree"/> runs another image there.</exception>
    public void Check(IConfigTree tree, string branchForMessages, string repositoryForMessages)
    {
        var now = DeployedImageReader.Read(tree, Environment, Manifests, Name, branchForMessages, repositoryForMessages).Image;
        if (!string.Equals(now.ToString(), Image.ToString(), StringComparison.Ordinal))
            throw new GitOpsException(Errors.PromotionSourceMoved, Environment, Image, now, branchForMessages);
    }
}

/// <summary>A change applied only to a tip on which the promotion's source environment still runs what was read.</summary>
internal sealed class PromotionChange(IConfigChange change, PromotionSource source, string branchForMessages, string repositoryForMessages) : IConfigChange
{
    public IReadOnlyList<TreeRead> Reads => [.. source.Reads, .. change.Reads];

    public AppliedChange Apply(IConfigTree tree)
    {
        source.Check(tree, branchForMessages, repositoryForMessages);
        return change.Apply(tree);
    }
}

/// <summary>
/// The push check of a promotion whose source environment lives on another branch (<see cref="PromotionSource.Branch"/>):
/// when that branch's tip moved since the source was read, the source is read again (a clone of that branch, or through
/// the forge's API under GitOpsCommitMethod=api; only then)
/// and a change of its image refuses the push (GITOPS112); commits that left it alone let the promotion go on.
/// </summary>
/// <remarks>
/// A deploy to the source that lands between this check and the push itself is seen after the push, by the same
/// comparison against a listing made once the push landed (<see cref="Confirm"/>): GITOPS113 then names the commit that
/// was pushed and what the source runs now. (git receive-pack would verify the source's tip in the same atomic push, as a
/// no-op command "tip tip refs/heads/source"; libgit2 sends neither that command nor the atomic capability.)
/// </remarks>
internal sealed class PromotionSourceTip(PromotionSource source, IConfigReader reader, ConfigRepositoryLocation repository,
    CancellationToken cancellationToken) : IPushCheck
{
    private readonly string branch = source.Branch ?? throw new ArgumentException("Only a source on another branch is checked by its tip.", nameof(source));
    private string? checkedTip = source.TipSha;

    public void Check(Func<string, string?> remoteTip)
    {
        if (checkedTip is not null && remoteTip(branch) == checkedTip)
            return;
        // Moved (or gone: the read then says so): read the source again; unrelated commits leave its image as it was.
        checkedTip = reader.Read(repository, branch, clone =>
        {
            source.Check(clone.Tree, clone.Branch, repository.DisplayUrl);
            return clone.TipSha;
        }, cancellationToken);
    }

    public void Confirm(string pushedSha, Func<string, string?> remoteTip)
    {
        if (checkedTip is not null && remoteTip(branch) == checkedTip)
            return;
        string now;
        try
        {
            now = reader.Read(repository, branch,
                clone => DeployedImageReader.Read(clone.Tree, source.Environment, source.Manifests, source.Name, clone.Branch, repository.DisplayUrl).Image,
                cancellationToken).ToString();
        }
        catch (GitOpsException e)
        {
            // The push landed: whatever stops the second read, the error must still name the pushed commit.
            now = "what could not be read again (" + e.Message + ")";
        }
        if (!string.Equals(now, source.Image.ToString(), StringComparison.Ordinal))
            throw new GitOpsException(Errors.PromotionSourceMovedDuringPush, source.Environment, source.Image, now, branch, Messages.ShortSha(pushedSha));
    }
}
