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

// GitOpsCommitMethod=api: GitCommit (a tip's message and tree), GitItem (a file or folder at a commit), GitPush.
internal sealed record AzureCommit(string? CommitId, string? Comment, string? TreeId, IReadOnlyList<string>? Parents = null, IReadOnlyList<AzureCommitChange>? Changes = null);

/// <summary>GitChange as a commit's read lists it: what happened (edit, add, delete, rename, "edit, rename" …) to which item.</summary>
internal sealed record AzureCommitChange(string? ChangeType, AzureItem? Item);

internal sealed record AzureItem(string? ObjectId, string? GitObjectType, string? Path, bool? IsFolder, bool? IsSymLink);

internal sealed record AzurePushRefUpdate(string Name, string OldObjectId);

internal sealed record AzureItemPath(string Path);

internal sealed record AzureNewContent(string Content, string ContentType);

internal sealed record AzureChange(string ChangeType, AzureItemPath Item, AzureNewContent NewContent);

internal sealed record AzureUserDate(string Name, string Email, string Date);

internal sealed record AzurePushCommit(string Comment, IReadOnlyList<string> Parents, IReadOnlyList<AzureChange> Changes, AzureUserDate? Author,
    AzureUserDate? Committer);

internal sealed record AzurePush(IReadOnlyList<AzurePushRefUpdate> RefUpdates, IReadOnlyList<AzurePushCommit> Commits);

internal sealed record AzurePushed(IReadOnlyList<AzureCommit>? Commits, IReadOnlyList<AzurePushedRef>? RefUpdates = null);

/// <summary>A ref as a push left it (GitRefUpdate in a GitPush answer).</summary>
internal sealed record AzurePushedRef(string? Name, string? NewObjectId);

internal sealed record AzureVersion(string Version, string VersionType);

/// <summary>GitQueryCommitsCriteria: a file's history from a commit, first parents only, a page at a time.</summary>
internal sealed record AzureCommitQuery(
    string ItemPath,
    AzureVersion ItemVersion,
    string HistoryMode,
    [property: JsonPropertyName("$top")] int Top,
    [property: JsonPropertyName("$skip")] int Skip);

internal sealed record AzureGitUserDate(DateTimeOffset? Date);

internal sealed record AzureListedCommit(string? CommitId, string? Comment, bool? CommentTruncated, AzureGitUserDate? Committer);

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
[JsonSerializable(typeof(AzureCommit))]
[JsonSerializable(typeof(List<AzureItem>))]
[JsonSerializable(typeof(AzurePush))]
[JsonSerializable(typeof(AzurePushed))]
[JsonSerializable(typeof(AzureCommitQuery))]
[JsonSerializable(typeof(List<AzureListedCommit>))]
[JsonSerializable(typeof(List<AzureCommit>))]
internal sealed partial class AzureDevOpsJson : JsonSerializerContext;
