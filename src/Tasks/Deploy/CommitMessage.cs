using System.Text;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>
/// Renders the config commit's message: a subject/body from a template, then provenance trailers that
/// `git interpret-trailers --parse` reads back. Trailers are always written, whatever the template says.
/// </summary>
public static class CommitMessage
{
    public const string DefaultTemplate = "Deploy {Repository}:{Tag}";

    public static readonly IReadOnlyList<string> Tokens =
        ["Image", "Repository", "Tag", "Digest", "SourceCommit", "ShortSourceCommit", "SourceRepository", "Project"];

    public static string Render(string? template, DeploymentFacts facts)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Image"] = facts.Image.ToString(),
            ["Repository"] = facts.Image.Repository,
            ["Tag"] = facts.Image.Tag ?? facts.Image.Digest ?? "",
            ["Digest"] = facts.ImageDigest ?? "",
            ["SourceCommit"] = facts.SourceCommit ?? "",
            ["ShortSourceCommit"] = facts.SourceCommit is { Length: >= 7 } sha ? sha[..7] : "",
            ["SourceRepository"] = facts.SourceRepository ?? "",
            ["Project"] = facts.Project ?? "",
        };

        var text = new StringBuilder(Expand(string.IsNullOrWhiteSpace(template) ? DefaultTemplate : template, values).TrimEnd());
        text.Append("\n\n");
        AppendTrailer(text, "GitOps-Source-Commit", facts.SourceCommit);
        AppendTrailer(text, "GitOps-Source-Repository", facts.SourceRepository);
        AppendTrailer(text, "GitOps-Image", facts.Image.ToString());
        AppendTrailer(text, "GitOps-Image-Digest", facts.ImageDigest);
        AppendTrailer(text, "GitOps-Project", facts.Project);
        return text.ToString();
    }

    private static string Expand(string template, IReadOnlyDictionary<string, string> values)
    {
        var result = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                result.Append(c);
                i++;
            }
            else if (c == '{' && template.IndexOf('}', i) is var end and > 0)
            {
                var token = template[(i + 1)..end];
                if (!values.TryGetValue(token, out var value))
                    throw new GitOpsException(Errors.CommitMessageTemplateInvalid, token, string.Join(", ", Tokens.Select(t => "{" + t + "}")));
                result.Append(value);
                i = end;
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    private static void AppendTrailer(StringBuilder text, string key, string? value)
    {
        // A value with a line break would end the trailer block early and hide the rest.
        if (!string.IsNullOrWhiteSpace(value))
            text.Append(key).Append(": ").Append(value.ReplaceLineEndings(" ").Trim()).Append('\n');
    }
}
