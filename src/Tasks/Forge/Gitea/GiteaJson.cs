using System.Text.Json.Serialization;

namespace GitOps.Build.Forge.Gitea;

// The parts of Gitea's (and Forgejo's) API v1 bodies GitOps.Build sends and reads (v1_json.tmpl's definitions).

internal sealed record GiteaBranchRef(string? Ref);

internal sealed record GiteaLabel(long Id, string? Name);

internal sealed record GiteaPullRequest(
    long Number,
    string? Title,
    string? Body,
    string? State,
    string? HtmlUrl,
    GiteaBranchRef? Head,
    GiteaBranchRef? Base,
    IReadOnlyList<GiteaLabel>? Labels,
    bool? Merged = null,
    string? MergeCommitSha = null);

// CommitStatus and CombinedStatus: the combined status holds the newest status per context.
internal sealed record GiteaStatus(long Id, string? Context, string? Status, string? Description, string? TargetUrl);

internal sealed record GiteaCombinedStatus(string? State, IReadOnlyList<GiteaStatus>? Statuses, long? TotalCount);

internal sealed record GiteaBranch(string? Name);

internal sealed record GiteaRepository(string? DefaultBranch);

internal sealed record GiteaCreatePullRequest(string Title, string Head, string Base, string Body, IReadOnlyList<long>? Labels);

internal sealed record GiteaEditPullRequest(string? Title = null, string? Body = null, string? State = null, IReadOnlyList<long>? Labels = null);

internal sealed record GiteaComment(string Body);

internal sealed record GiteaReviewRequest(IReadOnlyList<string> Reviewers);

// The merge style is "Do": go-gitea's v1_json.tmpl names it after the form's Go field (Gitea 1.27 documents "do"; Gitea
// binds JSON field names case-insensitively, so both reach it).
internal sealed record GiteaMerge(
    [property: JsonPropertyName("Do")] string Do,
    bool MergeWhenChecksSucceed,
    bool DeleteBranchAfterMerge);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GiteaPullRequest))]
[JsonSerializable(typeof(List<GiteaPullRequest>))]
[JsonSerializable(typeof(List<GiteaLabel>))]
[JsonSerializable(typeof(GiteaBranch))]
[JsonSerializable(typeof(GiteaRepository))]
[JsonSerializable(typeof(GiteaCreatePullRequest))]
[JsonSerializable(typeof(GiteaEditPullRequest))]
[JsonSerializable(typeof(GiteaComment))]
[JsonSerializable(typeof(GiteaReviewRequest))]
[JsonSerializable(typeof(GiteaMerge))]
[JsonSerializable(typeof(GiteaCombinedStatus))]
internal sealed partial class GiteaJson : JsonSerializerContext;
