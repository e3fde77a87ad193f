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
    [property: JsonPropertyName("error")] string? Error = null,
    [property: JsonPropertyName("verdict")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EnvironmentVerdict? Verdict = null);

/// <summary>
/// The agent's last word on an environment's deploy commit, where a source is configured for it: <c>success</c> (every
/// watched application or context), <c>failure</c> (any), <c>pending</c>, or <c>unknown</c> with the reason it could
/// not be read.
/// </summary>
internal sealed record EnvironmentVerdict(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("targets")] IReadOnlyList<EnvironmentVerdictTarget> Targets,
    [property: JsonPropertyName("error")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null)
{
    /// <summary>"success", "failure: Argo CD app shop-prod Degraded", as the log line and the table say it.</summary>
    public string Text => State switch
    {
        "failure" or "pending" => $"{State}: " + string.Join(", ", Targets.Where(t => t.Result == State).Select(t => $"{t.Source} {t.Name} {t.State}")),
        "unknown" => $"unknown: {Error}",
        _ => State,
    };
}

/// <summary>One watched application or context: its last label and what it comes to.</summary>
internal sealed record EnvironmentVerdictTarget(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("detail")] string? Detail);

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
            .Append("| Environment | Image | Source commit | Deploy commit | Date | Build | HEAD |");
        // The agent's column only where a source is configured for some environment.
        var agent = Environments.Any(e => e.Verdict is not null);
        text.Append(agent ? " Agent |\n" : "\n").Append("| --- | --- | --- | --- | --- | --- | --- |").Append(agent ? " --- |\n" : "\n");
        foreach (var e in Environments)
        {
            text.Append($"| {CiText.MarkdownText(e.Environment)} ({CiText.MarkdownText(e.ConfigBranch)}) ")
                .Append(e.Error is not null ? $"| {CiText.MarkdownText(e.Error)} | | | | | |" :
                    $"| {CiText.MarkdownCode(e.Image)} | {Code(e.SourceCommit)} | {Code(e.DeployCommit)} | {CiText.MarkdownText(Messages.Date(e.DeployDate))} | {CiText.MarkdownCode(e.BuildUrl)} | {CiText.MarkdownText(HeadText(e))} |")
                .Append(agent ? $" {CiText.MarkdownText(e.Verdict?.Text)} |\n" : "\n");
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
