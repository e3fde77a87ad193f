using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>What a deployment did, as CI systems and the JSON result file report it.</summary>
public sealed record DeploymentOutcome(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("sourceCommit")] string? SourceCommit,
    [property: JsonPropertyName("sourceRepository")] string? SourceRepository,
    [property: JsonPropertyName("buildUrl")] string? BuildUrl,
    [property: JsonPropertyName("configRepository")] string ConfigRepository,
    [property: JsonPropertyName("configBranch")] string ConfigBranch,
    [property: JsonPropertyName("configCommit")] string? ConfigCommit,
    [property: JsonPropertyName("dryRun")] bool DryRun,
    [property: JsonPropertyName("files")] IReadOnlyList<string> Files,
    [property: JsonPropertyName("diff")] string Diff)
{
    [JsonPropertyName("changed")]
    public bool Changed => Files.Count > 0;

    public static DeploymentOutcome From(DeploymentRequest request, ConfigRepo.ConfigCommitResult result) => new(
        request.Facts.Image.ToString(),
        request.Facts.ImageDigest,
        request.Facts.SourceCommit,
        request.Facts.SourceRepository,
        request.Facts.BuildUrl,
        UrlRedactor.Redact(request.ConfigRepository),
        result.Branch,
        result.CommitSha,
        request.DryRun,
        result.Changes.Select(c => c.Path).ToList(),
        UnifiedDiff.Format(result.Changes));
}
