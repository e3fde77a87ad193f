using System.Text;
using GitOps.Build.Ci;

namespace GitOps.Build.Deploy;

/// <summary>
/// Renders the config commit's message: a subject/body from a template, then provenance trailers that
/// `git interpret-trailers --parse` reads back, Argo CD's commit-tracing ones after ours. Trailers are always written,
/// whatever the template says.
/// </summary>
internal static class CommitMessage
{
    public const string DefaultTemplate = "Deploy {Repository}:{Tag}";

    public const string SourceCommitTrailer = "GitOps-Source-Commit";
    public const string SourceRepositoryTrailer = "GitOps-Source-Repository";
    public const string ImageTrailer = "GitOps-Image";
    /// <summary>A release's every image, space-separated, in one trailer: what tools that keep one value per key can read.</summary>
    public const string ImagesTrailer = "GitOps-Images";
    public const string ImageDigestTrailer = "GitOps-Image-Digest";
    public const string BuildUrlTrailer = "GitOps-Build-Url";
    public const string ProjectTrailer = "GitOps-Project";
    public const string PromotedFromTrailer = "GitOps-Promoted-From";
    public const string PromotedFromCommitTrailer = "GitOps-Promoted-From-Commit";
    public const string PromotedFromDeployCommitTrailer = "GitOps-Promoted-From-Deploy-Commit";
    /// <summary>A rollback's: the deploy commit it reverts, and what the agent reported on it.</summary>
    public const string RollbackOfTrailer = "GitOps-Rollback-Of";
    public const string RollbackVerdictTrailer = "GitOps-Rollback-Verdict";

    /// <summary>The longest verdict a trailer carries: an agent's message can list every unhealthy resource.</summary>
    internal const int MaxVerdictLength = 1000;

    public static string Render(string? template, DeploymentFacts facts)
    {
        var text = new StringBuilder(DeploymentTemplate.Expand(string.IsNullOrWhiteSpace(template) ? DefaultTemplate : template, facts, "GitOpsCommitMessage").TrimEnd());
        text.Append("\n\n");
        AppendTrailer(text, SourceCommitTrailer, facts.SourceCommit);
        AppendTrailer(text, SourceRepositoryTrailer, facts.SourceRepository);
        AppendTrailer(text, ImageTrailer, facts.Image.ToString());
        AppendTrailer(text, ImageDigestTrailer, facts.ImageDigest);
        AppendTrailer(text, BuildUrlTrailer, facts.BuildUrl);
        AppendTrailer(text, ProjectTrailer, facts.Project);
        foreach (var (key, value) in facts.MoreTrailers ?? [])
            AppendTrailer(text, key, value);
        if (facts.AppCommit is { } appCommit)
            foreach (var (key, value) in ArgoCdTrailers.For(appCommit))
                AppendTrailer(text, key, value);
        return text.ToString();
    }

    /// <summary>
    /// A release's message: the subject from <paramref name="template"/> when one is set (its tokens name the first
    /// image), else "Deploy a:tag, b:tag"; then GitOps-Images, every image on one line for readers that keep one value
    /// per key; the trailers the images share once (source commit, repository, build URL, Argo CD's), and for each image
    /// a group that starts with its GitOps-Image line: its digest, its project, and its source commit and repository
    /// where the images do not share them (<see cref="DeployTrailers"/> reads the groups back).
    /// </summary>
    public static string RenderRelease(string? template, IReadOnlyList<DeploymentFacts> images)
    {
        if (images.Count == 1)
            return Render(template, images[0]);
        var subject = string.IsNullOrWhiteSpace(template)
            ? "Deploy " + string.Join(", ", images.Select(i => DeploymentTemplate.Expand("{Repository}:{Tag}", i, "GitOpsCommitMessage")))
            : DeploymentTemplate.Expand(template, images[0], "GitOpsCommitMessage");
        var text = new StringBuilder(subject.TrimEnd()).Append("\n\n");
        string? Shared(Func<DeploymentFacts, string?> value) =>
            images.Select(value).Distinct(StringComparer.Ordinal).Count() == 1 ? value(images[0]) : null;
        var sourceCommit = Shared(i => i.SourceCommit);
        var sourceRepository = Shared(i => i.SourceRepository);
        AppendTrailer(text, ImagesTrailer, string.Join(' ', images.Select(i => i.Image.ToString())));
        AppendTrailer(text, SourceCommitTrailer, sourceCommit);
        AppendTrailer(text, SourceRepositoryTrailer, sourceRepository);
        AppendTrailer(text, BuildUrlTrailer, Shared(i => i.BuildUrl));
        foreach (var image in images)
        {
            AppendTrailer(text, ImageTrailer, image.Image.ToString());
            AppendTrailer(text, ImageDigestTrailer, image.ImageDigest);
            AppendTrailer(text, ProjectTrailer, image.Project);
            if (sourceCommit is null) AppendTrailer(text, SourceCommitTrailer, image.SourceCommit);
            if (sourceRepository is null) AppendTrailer(text, SourceRepositoryTrailer, image.SourceRepository);
        }
        // Argo CD traces one app commit: written when every image was built from the same one.
        if (sourceCommit is not null && images[0].AppCommit is { } appCommit)
            foreach (var (key, value) in ArgoCdTrailers.For(appCommit))
                AppendTrailer(text, key, value);
        return text.ToString();
    }

    /// <summary>
    /// A rollback's message, worded as `git revert` words it, so that forges and people recognise it: 'Revert "subject"',
    /// "This reverts commit sha.", then the trailers naming the failed deploy and the agent's verdict. It has no
    /// GitOps-Image trailer: it deploys nothing new, and readers of what runs where pass over it to the deploy it restores.
    /// </summary>
    public static string RenderRollback(string deployMessage, string deployCommit, string verdict)
    {
        var subject = deployMessage.ReplaceLineEndings("\n").Split('\n')[0].Trim();
        var text = new StringBuilder($"Revert \"{subject}\"\n\nThis reverts commit {deployCommit}.\n")
            .Append("The agent reported the deploy failed; GitOpsRollbackOnFailure reverted it.\n\n");
        AppendTrailer(text, RollbackOfTrailer, deployCommit);
        // The agent's words: one line, no control characters (a trailer value is one line of text).
        var oneLine = new string([.. verdict.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        AppendTrailer(text, RollbackVerdictTrailer, oneLine.Length <= MaxVerdictLength ? oneLine : oneLine[..(MaxVerdictLength - 1)] + "…");
        return text.ToString();
    }

    /// <summary>
    /// The trailers of a message this class rendered (its last paragraph, "Key: value" lines), keys case-insensitive;
    /// a repeated key keeps its last value, as git does. A release's images: <see cref="DeployTrailers"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadTrailers(string message) =>
        TrailerLines(message)
            .GroupBy(trailer => trailer.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The images a message this class rendered deploys, in order: one for a single deploy, several for a release.</summary>
    public static IReadOnlyList<DeployedImage> ReadImages(string message) =>
        DeployTrailers.Read(message).Images.Select(trailers => new DeployedImage(trailers[ImageTrailer],
            trailers.GetValueOrDefault(ImageDigestTrailer), trailers.GetValueOrDefault(SourceCommitTrailer), trailers.GetValueOrDefault(ProjectTrailer))).ToList();

    /// <summary>The "Key: value" lines of the message's last paragraph, in order, trimmed.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> TrailerLines(string message) =>
        message.ReplaceLineEndings("\n").TrimEnd('\n').Split("\n\n")[^1].Split('\n')
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts[1].Trim()));

    private static void AppendTrailer(StringBuilder text, string key, string? value)
    {
        // A value with a line break would end the trailer block early and hide the rest.
        if (!string.IsNullOrWhiteSpace(value))
            text.Append(key).Append(": ").Append(value.ReplaceLineEndings(" ").Trim()).Append('\n');
    }
}
