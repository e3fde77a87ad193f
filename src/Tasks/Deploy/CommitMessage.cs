using System.Text;

namespace GitOps.Build.Deploy;

/// <summary>
/// Renders the config commit's message: a subject/body from a template, then provenance trailers that
/// `git interpret-trailers --parse` reads back. Trailers are always written, whatever the template says.
/// </summary>
public static class CommitMessage
{
    public const string DefaultTemplate = "Deploy {Repository}:{Tag}";

    public static string Render(string? template, DeploymentFacts facts)
    {
        var text = new StringBuilder(DeploymentTemplate.Expand(string.IsNullOrWhiteSpace(template) ? DefaultTemplate : template, facts, "GitOpsCommitMessage").TrimEnd());
        text.Append("\n\n");
        AppendTrailer(text, "GitOps-Source-Commit", facts.SourceCommit);
        AppendTrailer(text, "GitOps-Source-Repository", facts.SourceRepository);
        AppendTrailer(text, "GitOps-Image", facts.Image.ToString());
        AppendTrailer(text, "GitOps-Image-Digest", facts.ImageDigest);
        AppendTrailer(text, "GitOps-Build-Url", facts.BuildUrl);
        AppendTrailer(text, "GitOps-Project", facts.Project);
        return text.ToString();
    }

    private static void AppendTrailer(StringBuilder text, string key, string? value)
    {
        // A value with a line break would end the trailer block early and hide the rest.
        if (!string.IsNullOrWhiteSpace(value))
            text.Append(key).Append(": ").Append(value.ReplaceLineEndings(" ").Trim()).Append('\n');
    }
}
