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

internal sealed record GitLabBranch(string? Name, bool? Default, GitLabCommit? Commit = null);

// APIEntitiesCommit / APIEntitiesCommitDetail: a branch's tip (its full message), and the commit a write made.
internal sealed record GitLabCommit(string? Id, string? Message, IReadOnlyList<string>? ParentIds, DateTimeOffset? CreatedAt = null);

// APIEntitiesDiff: one file of a commit's diff, each side's path and mode, and what happened to it.
internal sealed record GitLabDiff(string? OldPath, string? NewPath, string? AMode, string? BMode, bool? NewFile, bool? RenamedFile, bool? DeletedFile);

// APIEntitiesTreeObject: a tree entry (type blob, tree or commit; mode as git writes it).
internal sealed record GitLabTreeEntry(string? Id, string? Name, string? Type, string? Path, string? Mode);

// POST repository/commits (lib/api/commits.rb's params): the actions, each file's guard (last_commit_id), a new branch's base (start_sha).
internal sealed record GitLabCommitAction(string Action, string FilePath, string Content, string Encoding, string? LastCommitId);

internal sealed record GitLabNewCommit(string Branch, string CommitMessage, IReadOnlyList<GitLabCommitAction> Actions, string? StartSha,
    string? AuthorName, string? AuthorEmail, bool Stats);

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
[JsonSerializable(typeof(GitLabCommit))]
[JsonSerializable(typeof(List<GitLabCommit>))]
[JsonSerializable(typeof(List<GitLabTreeEntry>))]
[JsonSerializable(typeof(List<GitLabDiff>))]
[JsonSerializable(typeof(GitLabNewCommit))]
internal sealed partial class GitLabJson : JsonSerializerContext;
