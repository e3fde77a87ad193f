using System.Globalization;

namespace GitOps.Build.Forge.Gitea;

/// <summary>
/// A commit's statuses through Gitea's (and Forgejo's) API v1: the combined status (GET …/commits/{ref}/status), which
/// holds the newest status per context, page by page. Flux's gitea provider names the context after the Kustomization.
/// </summary>
internal sealed class GiteaStatusReader(ForgeHttp http) : IForgeStatusReader
{
    private const int PageSize = 50;

    private readonly string repo = $"repos/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";

    public async Task<IReadOnlyList<CommitStatus>> ReadAsync(string commit, CancellationToken cancellationToken)
    {
        var all = new List<GiteaStatus>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{repo}/commits/…/status");
            var combined = await http.GetAsync($"{repo}/commits/{ForgeCalls.Segment(commit)}/status" + ForgeCalls.Query(
                ("page", page.ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture))),
                GiteaJson.Default.GiteaCombinedStatus, null, cancellationToken).ConfigureAwait(false);
            var found = combined.Statuses ?? [];
            all.AddRange(found);
            if (found.Count < PageSize || (combined.TotalCount is { } total && all.Count >= total))
                break;
        }
        return [.. all.Where(s => !string.IsNullOrEmpty(s.Context))
            .GroupBy(s => s.Context!, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.MaxBy(s => s.Id)!)
            .Select(s => new CommitStatus(s.Context!, StateOf(s.Status), s.Description, s.TargetUrl))];
    }

    // warning is final but not a success: the deploy is not confirmed healthy, so it fails the wait with its description.
    private static CommitStatusState StateOf(string? status) => status switch
    {
        "success" => CommitStatusState.Success,
        "failure" or "warning" => CommitStatusState.Failure,
        "error" => CommitStatusState.Error,
        _ => CommitStatusState.Pending,
    };

    public void Dispose() => http.Dispose();
}
