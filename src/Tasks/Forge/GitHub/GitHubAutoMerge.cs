using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.GitHub;

/// <summary>
/// GitHub's auto-merge, which only GraphQL offers (enablePullRequestAutoMerge), sent through the same
/// <see cref="ForgeHttp"/> as Octokit's calls. A repository that does not allow auto-merge answers an UNPROCESSABLE
/// error: that is <see cref="AutoMergeState.Disabled"/> (warning GITOPS078), not a failure.
/// </summary>
internal static class GitHubAutoMerge
{
    internal const string Mutation =
        "mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) { enablePullRequestAutoMerge(input: {pullRequestId: $pullRequestId, mergeMethod: $mergeMethod}) { pullRequest { autoMergeRequest { enabledAt } } } }";

    public static async Task<AutoMergeOutcome> EnableAsync(ForgeHttp http, PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken)
    {
        var request = new GraphQlRequest(Mutation, new AutoMergeVariables(pullRequest.ForgeId ?? "", method.ToString().ToUpperInvariant()));
        var response = await http.SendAsync(HttpMethod.Post, http.Repository.GraphQlEndpoint.ToString(), request,
            GitHubJson.Default.GraphQlRequest, GitHubJson.Default.GraphQlResponse, null, cancellationToken).ConfigureAwait(false);
        if (response.Errors is not { Count: > 0 } errors)
            return AutoMergeOutcome.Enabled;
        var message = string.Join("; ", errors.Select(e => e.Message).Where(m => !string.IsNullOrEmpty(m)));
        var operation = $"POST {http.Repository.GraphQlEndpoint.AbsolutePath} (enablePullRequestAutoMerge)";
        return errors.Select(e => e.Type).FirstOrDefault() switch
        {
            "UNPROCESSABLE" => new AutoMergeOutcome(AutoMergeState.Disabled, message),
            "FORBIDDEN" => throw new GitOpsException(Errors.ForgePermissionDenied, http.Repository.Kind, http.DisplayApi, operation, message,
                "write access to pull requests (classic token: repo scope; fine-grained or App: Pull requests read and write)"),
            "NOT_FOUND" => throw new GitOpsException(Errors.ForgeNotFound, http.Repository.Kind, http.DisplayApi, operation, http.Repository.FullName, pullRequest.Base),
            _ => throw new GitOpsException(Errors.ForgeRequestFailed, http.Repository.Kind, http.DisplayApi, operation, message),
        };
    }
}

internal sealed record GraphQlRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("variables")] AutoMergeVariables Variables);

internal sealed record AutoMergeVariables(
    [property: JsonPropertyName("pullRequestId")] string PullRequestId,
    [property: JsonPropertyName("mergeMethod")] string MergeMethod);

internal sealed record GraphQlResponse(
    [property: JsonPropertyName("errors")] IReadOnlyList<GraphQlError>? Errors);

internal sealed record GraphQlError(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(GraphQlRequest))]
[JsonSerializable(typeof(GraphQlResponse))]
internal sealed partial class GitHubJson : JsonSerializerContext;
