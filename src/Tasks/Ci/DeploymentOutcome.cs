using System.Text.Json.Serialization;

namespace GitOps.Build.Ci;

/// <summary>What a deployment did, as CI systems and the JSON result file report it.</summary>
internal sealed record DeploymentOutcome(
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
}
