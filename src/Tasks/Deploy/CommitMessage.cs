using System.Text;

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
    public const string ImageDigestTrailer = "GitOps-Image-Digest";
    public const string BuildUrlTrailer = "GitOps-Build-Url";
    public const string ProjectTrailer = "GitOps-Project";
    public const string PromotedFromTrailer = "GitOps-Promoted-From";
    public const string PromotedFromCommitTrailer = "GitOps-Promoted-From-Commit";
    public const string PromotedFromDeployCommitTrailer = "GitOps-Promoted-From-Deploy-Commit";

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
    /// The trailers of a message this class rendered (its last paragraph, "Key: value" lines), keys case-insensitive;
    /// a repeated key keeps its last value, as git does.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadTrailers(string message) =>
        message.ReplaceLineEndings("\n").TrimEnd('\n').Split("\n\n")[^1].Split('\n')
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Last()[1].Trim(), StringComparer.OrdinalIgnoreCase);

    private static void AppendTrailer(StringBuilder text, string key, string? value)
    {
        // A value with a line break would end the trailer block early and hide the rest.
        if (!string.IsNullOrWhiteSpace(value))
            text.Append(key).Append(": ").Append(value.ReplaceLineEndings(" ").Trim()).Append('\n');
    }
}
