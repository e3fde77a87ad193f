using System.Text.Json.Serialization;

namespace GitOps.Build.Forge.AzureDevOps;

// The parts of Azure DevOps' Git REST 7.1 bodies GitOps.Build sends and reads (git.json's definitions of the same names).

internal sealed record AzureRepository(string Id, string? Name, string? WebUrl, string? DefaultBranch);

internal sealed record AzureRef(string? Name, string? ObjectId);

internal sealed record AzureIdentity(string? Id);

internal sealed record AzurePullRequest(
    long PullRequestId,
    string? Title,
    string? Description,
    string? SourceRefName,
    string? TargetRefName,
    string? Status,
    AzureIdentity? CreatedBy,
    AzureIdentity? AutoCompleteSetBy = null,
    AzureCommitRef? LastMergeCommit = null);

internal sealed record AzureCommitRef(string? CommitId);

internal sealed record AzureStatusContext(string? Name, string? Genre);

internal sealed record AzureStatus(long Id, AzureStatusContext? Context, string? State, string? Description, string? TargetUrl);

internal sealed record AzureLabel(string Name);

internal sealed record AzureCreatePullRequest(
    string SourceRefName,
    string TargetRefName,
    string Title,
    string Description,
    bool? IsDraft);

internal sealed record AzureCompletionOptions(string MergeStrategy, bool DeleteSourceBranch);

internal sealed record AzureUpdatePullRequest(
    string? Title = null,
    string? Description = null,
    string? Status = null,
    AzureIdentity? AutoCompleteSetBy = null,
    AzureCompletionOptions? CompletionOptions = null);

internal sealed record AzureComment(string Content, string CommentType);

internal sealed record AzureThread(IReadOnlyList<AzureComment> Comments, string Status);

internal sealed record AzureReviewerVote(int Vote);

internal sealed record AzureRefUpdate(string Name, string OldObjectId, string NewObjectId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(AzureRepository))]
[JsonSerializable(typeof(List<AzureRef>))]
[JsonSerializable(typeof(AzurePullRequest))]
[JsonSerializable(typeof(List<AzurePullRequest>))]
[JsonSerializable(typeof(AzureLabel))]
[JsonSerializable(typeof(AzureCreatePullRequest))]
[JsonSerializable(typeof(AzureUpdatePullRequest))]
[JsonSerializable(typeof(AzureThread))]
[JsonSerializable(typeof(AzureReviewerVote))]
[JsonSerializable(typeof(List<AzureRefUpdate>))]
[JsonSerializable(typeof(List<AzureStatus>))]
internal sealed partial class AzureDevOpsJson : JsonSerializerContext;
