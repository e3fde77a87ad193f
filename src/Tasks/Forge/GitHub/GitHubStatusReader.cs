using System.Text.Json.Serialization;

namespace GitOps.Build.Forge.GitHub;

/// <summary>
/// A commit's statuses (GET …/commits/{ref}/statuses, newest first, so the first per context is its current state) and
/// check runs (GET …/commits/{ref}/check-runs?filter=latest): agents post either. Two plain reads on ForgeHttp with
/// source-generated JSON; Octokit adds nothing here but a second error path.
/// </summary>
internal sealed class GitHubStatusReader(ForgeHttp http) : IForgeStatusReader
{
    public async Task<IReadOnlyList<CommitStatus>> ReadAsync(string commit, CancellationToken cancellationToken)
    {
        var root = $"repos/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}/commits/{commit}";
        var statuses = await http.GetAsync(root + "/statuses?per_page=100", GitHubStatusJson.Default.ListGitHubStatus, null, cancellationToken).ConfigureAwait(false);
        var checks = await http.GetAsync(root + "/check-runs?filter=latest&per_page=100", GitHubStatusJson.Default.GitHubCheckRuns, null, cancellationToken).ConfigureAwait(false);
        var result = statuses.Where(s => s.Context is not null)
            .GroupBy(s => s.Context!, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First())
            .Select(s => new CommitStatus(s.Context!, StateOf(s.State), s.Description, s.TargetUrl))
            .ToList();
        result.AddRange((checks.CheckRuns ?? []).Where(c => c.Name is not null)
            .Select(c => new CommitStatus(c.Name!, StateOf(c.Status, c.Conclusion), c.Output?.Title ?? c.Output?.Summary, c.DetailsUrl ?? c.HtmlUrl)));
        return result;
    }

    private static CommitStatusState StateOf(string? state) => state switch
    {
        "success" => CommitStatusState.Success,
        "failure" => CommitStatusState.Failure,
        "error" => CommitStatusState.Error,
        _ => CommitStatusState.Pending,
    };

    // A check run is final once completed; neutral and skipped pass, as they do for required checks.
    private static CommitStatusState StateOf(string? status, string? conclusion) => (status, conclusion) switch
    {
        ("completed", "success" or "neutral" or "skipped") => CommitStatusState.Success,
        ("completed", _) => CommitStatusState.Failure,
        _ => CommitStatusState.Pending,
    };

    public void Dispose() => http.Dispose();
}

internal sealed record GitHubStatus(string? Context, string? State, string? Description, string? TargetUrl);

internal sealed record GitHubCheckRuns(long TotalCount, IReadOnlyList<GitHubCheckRun>? CheckRuns);

internal sealed record GitHubCheckRun(string? Name, string? Status, string? Conclusion, string? DetailsUrl, string? HtmlUrl, GitHubCheckOutput? Output);

internal sealed record GitHubCheckOutput(string? Title, string? Summary);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<GitHubStatus>))]
[JsonSerializable(typeof(GitHubCheckRuns))]
internal sealed partial class GitHubStatusJson : JsonSerializerContext;
