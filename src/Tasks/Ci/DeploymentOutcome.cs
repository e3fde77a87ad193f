using System.Text.Json.Serialization;

namespace GitOps.Build.Ci;

/// <summary>What a deployment did, as CI systems and the JSON result file report it.</summary>
/// <remarks>
/// A release of several images has no single <see cref="Image"/>, <see cref="Digest"/> or <see cref="SourceCommit"/>
/// (null); <see cref="Images"/> lists every image, one entry for a single deploy too. <paramref name="Release"/>: the
/// images of a release, or null for a single deploy.
/// </remarks>
internal sealed record DeploymentOutcome(
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("sourceCommit")] string? SourceCommit,
    [property: JsonPropertyName("sourceRepository")] string? SourceRepository,
    [property: JsonPropertyName("buildUrl")] string? BuildUrl,
    [property: JsonPropertyName("configRepository")] string ConfigRepository,
    [property: JsonPropertyName("configBranch")] string ConfigBranch,
    [property: JsonPropertyName("configCommit")] string? ConfigCommit,
    [property: JsonPropertyName("dryRun")] bool DryRun,
    [property: JsonPropertyName("files")] IReadOnlyList<string> Files,
    [property: JsonPropertyName("diff")] string Diff,
    [property: JsonIgnore] IReadOnlyList<DeployedImage>? Release = null)
{
    /// <summary>With GitOpsPullRequest: the pull request that proposes the commit (null otherwise, and then not written).</summary>
    [JsonPropertyName("pullRequest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PullRequestReport? PullRequest { get; init; }

    /// <summary>Every image deployed: the release's, or the one image of a single deploy.</summary>
    [JsonPropertyName("images")]
    public IReadOnlyList<DeployedImage> Images => Release ?? (Image is null ? [] : [new DeployedImage(Image, Digest, SourceCommit, null)]);

    [JsonPropertyName("changed")]
    public bool Changed => Files.Count > 0;
}

/// <summary>One image of a deployment: what the commit's trailers say of it.</summary>
internal sealed record DeployedImage(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("sourceCommit")] string? SourceCommit,
    [property: JsonPropertyName("project")] string? Project);
