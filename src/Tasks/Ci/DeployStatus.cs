using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Ci;

/// <summary>What one environment runs, as GitOpsStatus reports it (JSON, and a Markdown table under GitHub Actions).</summary>
internal sealed record EnvironmentStatus(
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("configRepository")] string ConfigRepository,
    [property: JsonPropertyName("configBranch")] string? ConfigBranch,
    [property: JsonPropertyName("image")] string? Image = null,
    [property: JsonPropertyName("digest")] string? Digest = null,
    [property: JsonPropertyName("sourceCommit")] string? SourceCommit = null,
    [property: JsonPropertyName("sourceRepository")] string? SourceRepository = null,
    [property: JsonPropertyName("deployCommit")] string? DeployCommit = null,
    [property: JsonPropertyName("deployDate")] DateTimeOffset? DeployDate = null,
    [property: JsonPropertyName("buildUrl")] string? BuildUrl = null,
    [property: JsonPropertyName("promotedFrom")] string? PromotedFrom = null,
    [property: JsonPropertyName("headDeployed")] bool? HeadDeployed = null,
    [property: JsonPropertyName("commitsBehindHead")] int? CommitsBehindHead = null,
    [property: JsonPropertyName("error")] string? Error = null);

/// <summary>The whole GitOpsStatus report: the app's HEAD and every environment.</summary>
internal sealed record DeployStatus(
    [property: JsonPropertyName("head")] string? Head,
    [property: JsonPropertyName("environments")] IReadOnlyList<EnvironmentStatus> Environments)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>
    /// A GitHub-flavoured Markdown table, one row per environment. Trailers, images and errors come from the config
    /// repository: CiText keeps each cell one cell, shown as written (values as code, the rest as escaped text).
    /// </summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder("### GitOps status\n\n")
            .Append(Head is null ? "" : $"App HEAD: {CiText.MarkdownCode(Head)}\n\n")
            .Append("| Environment | Image | Source commit | Deploy commit | Date | Build | HEAD |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var e in Environments)
        {
            text.Append($"| {CiText.MarkdownText(e.Environment)} ({CiText.MarkdownText(e.ConfigBranch)}) ")
                .Append(e.Error is not null ? $"| {CiText.MarkdownText(e.Error)} | | | | | |\n" :
                    $"| {CiText.MarkdownCode(e.Image)} | {Code(e.SourceCommit)} | {Code(e.DeployCommit)} | {CiText.MarkdownText(Messages.Date(e.DeployDate))} | {CiText.MarkdownCode(e.BuildUrl)} | {CiText.MarkdownText(HeadText(e))} |\n");
        }
        return text.Append('\n').ToString();
    }

    /// <summary>"deployed", "3 commits behind", or why it is not known.</summary>
    public static string HeadText(EnvironmentStatus status) => status switch
    {
        { HeadDeployed: true } => "HEAD is deployed",
        { CommitsBehindHead: 1 } => "1 commit behind HEAD",
        { CommitsBehindHead: { } behind } => $"{behind} commits behind HEAD",
        { SourceCommit: null } => "source commit unknown",
        _ => "not in HEAD's history",
    };

    private static string Code(string? sha) => sha is null ? "" : CiText.MarkdownCode(sha[..Math.Min(sha.Length, 12)]);
}
