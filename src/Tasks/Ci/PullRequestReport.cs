using System.Text.Json.Serialization;

namespace GitOps.Build.Ci;

/// <summary>The pull request a deploy opened or updated, as the result JSON's <c>pullRequest</c> and the CI outputs report it.</summary>
/// <param name="Url">Its web page.</param>
/// <param name="Number">The number users see (GitLab: the iid).</param>
/// <param name="Created">False when an open pull request was updated (or found, when nothing changed).</param>
internal sealed record PullRequestReport(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("number")] long Number,
    [property: JsonPropertyName("created")] bool Created);
