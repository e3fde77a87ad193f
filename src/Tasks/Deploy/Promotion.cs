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
/// The environment a promotion read its image from, when it lives on the branch the promotion commits to: the
/// deployer reads it again from each tip it would commit to, so a deploy to it that landed after it was read is
/// noticed (GITOPS112) instead of promoting what it no longer runs.
/// </summary>
internal sealed record PromotionSource(string Environment, IReadOnlyList<ManifestTarget> Manifests, ImageReference Name, ImageReference Image)
{
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
    public AppliedChange Apply(IConfigTree tree)
    {
        source.Check(tree, branchForMessages, repositoryForMessages);
        return change.Apply(tree);
    }
}
