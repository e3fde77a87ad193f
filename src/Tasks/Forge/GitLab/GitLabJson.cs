using System.Text.Json.Serialization;

namespace GitOps.Build.Forge.GitLab;

// The parts of GitLab's REST v4 bodies GitOps.Build sends and reads (RequestBody_d48c5188ea01, _e430517b7941 and
// _701185185f4b of openapi_v3.yaml; the merge request and branch entities).

internal sealed record GitLabMergeRequest(
    long Iid,
    string? Title,
    string? Description,
    string? State,
    string? SourceBranch,
    string? TargetBranch,
    string? WebUrl,
    bool? MergeWhenPipelineSucceeds,
    IReadOnlyList<string>? Labels,
    string? Sha = null,
    string? MergeCommitSha = null,
    string? SquashCommitSha = null);

// APIEntitiesCommitStatus: Flux's gitlab provider names its status after the Kustomization ("name").
internal sealed record GitLabCommitStatus(long Id, string? Name, string? Status, string? Description, string? TargetUrl);

internal sealed record GitLabBranch(string? Name, bool? Default);

internal sealed record GitLabCreateMergeRequest(
    string Title,
    string SourceBranch,
    string TargetBranch,
    string Description,
    IReadOnlyList<string>? Labels,
    IReadOnlyList<long>? ReviewerIds);

internal sealed record GitLabUpdateMergeRequest(
    string? Title = null,
    string? Description = null,
    IReadOnlyList<string>? AddLabels = null,
    string? StateEvent = null);

internal sealed record GitLabMerge(bool AutoMerge, bool? Squash, bool ShouldRemoveSourceBranch);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GitLabMergeRequest))]
[JsonSerializable(typeof(List<GitLabMergeRequest>))]
[JsonSerializable(typeof(List<GitLabCommitStatus>))]
[JsonSerializable(typeof(GitLabBranch))]
[JsonSerializable(typeof(List<GitLabBranch>))]
[JsonSerializable(typeof(GitLabCreateMergeRequest))]
[JsonSerializable(typeof(GitLabUpdateMergeRequest))]
[JsonSerializable(typeof(GitLabMerge))]
internal sealed partial class GitLabJson : JsonSerializerContext;
