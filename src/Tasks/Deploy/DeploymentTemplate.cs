using System.Text;
using GitOps.Build.AppRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>
/// {Token} templates over the deployment's facts (GitOpsCommitMessage, GitOpsConfigPushBranch); {{ and }} are literal braces.
/// </summary>
internal static class DeploymentTemplate
{
    public static readonly IReadOnlyList<string> Tokens =
        ["Image", "Repository", "Tag", "Digest", "SourceCommit", "ShortSourceCommit", "SourceRepository", "Project", "BuildUrl"];

    /// <param name="template">The template text.</param>
    /// <param name="facts">What the tokens stand for; unknown facts expand to nothing.</param>
    /// <param name="property">The property the template came from, for the error message.</param>
    public static string Expand(string template, DeploymentFacts facts, string property)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Image"] = facts.Image.ToString(),
            ["Repository"] = facts.Image.Repository,
            ["Tag"] = facts.Image.Tag ?? facts.Image.Digest ?? "",
            ["Digest"] = facts.ImageDigest ?? "",
            ["SourceCommit"] = facts.SourceCommit ?? "",
            ["ShortSourceCommit"] = facts.SourceCommit is { Length: >= SourceRevision.MinimumAbbreviation } sha ? sha[..SourceRevision.MinimumAbbreviation] : "",
            ["SourceRepository"] = facts.SourceRepository ?? "",
            ["Project"] = facts.Project ?? "",
            ["BuildUrl"] = facts.BuildUrl ?? "",
        };

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
                    throw new GitOpsException(Errors.TemplateTokenUnknown, property, token, string.Join(", ", Tokens.Select(t => "{" + t + "}")));
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
}
