using System.Text.Json.Serialization;

namespace GitOps.Build.Forge.Bitbucket;

// The parts of Bitbucket Cloud's API 2.0 bodies GitOps.Build sends and reads (the pullrequest, branch and paginated
// schemas; every object there carries its "type").

internal sealed record BitbucketBranchName(string? Name);

internal sealed record BitbucketEndpoint(BitbucketBranchName? Branch);

internal sealed record BitbucketLink(string? Href);

internal sealed record BitbucketLinks(BitbucketLink? Html);

internal sealed record BitbucketPullRequest(
    long Id,
    string? Title,
    string? Description,
    string? State,
    BitbucketEndpoint? Source,
    BitbucketEndpoint? Destination,
    BitbucketLinks? Links,
    BitbucketCommit? MergeCommit = null);

internal sealed record BitbucketCommit(string? Hash);

// commitstatus: Flux's bitbucket provider names a status after the Kustomization (name), keyed by a hash of it (key).
internal sealed record BitbucketStatus(string? Key, string? Name, string? State, string? Description, string? Url);

internal sealed record BitbucketStatusPage(IReadOnlyList<BitbucketStatus>? Values, string? Next);

internal sealed record BitbucketPullRequestPage(IReadOnlyList<BitbucketPullRequest>? Values, string? Next);

internal sealed record BitbucketBranch(string? Name);

internal sealed record BitbucketRepository(BitbucketBranch? Mainbranch);

internal sealed record BitbucketAccount(string Type, string? Uuid = null, string? AccountId = null);

internal sealed record BitbucketCreatePullRequest(
    string Type,
    string Title,
    string Description,
    BitbucketEndpoint Source,
    BitbucketEndpoint Destination,
    bool? Draft,
    IReadOnlyList<BitbucketAccount>? Reviewers);

internal sealed record BitbucketUpdatePullRequest(string Type, string Title, string Description);

internal sealed record BitbucketContent(string Raw);

// pullrequest_comment is an allOf of comment and object, whose "type" is required in a request body too.
internal sealed record BitbucketComment(string Type, BitbucketContent Content);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BitbucketPullRequest))]
[JsonSerializable(typeof(BitbucketPullRequestPage))]
[JsonSerializable(typeof(BitbucketBranch))]
[JsonSerializable(typeof(BitbucketRepository))]
[JsonSerializable(typeof(BitbucketCreatePullRequest))]
[JsonSerializable(typeof(BitbucketUpdatePullRequest))]
[JsonSerializable(typeof(BitbucketComment))]
[JsonSerializable(typeof(BitbucketCommit))]
[JsonSerializable(typeof(BitbucketStatusPage))]
internal sealed partial class BitbucketJson : JsonSerializerContext;
