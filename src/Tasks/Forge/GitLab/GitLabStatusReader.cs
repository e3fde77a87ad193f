using System.Globalization;

namespace GitOps.Build.Forge.GitLab;

/// <summary>
/// A commit's statuses through GitLab's REST v4 (GET projects/:id/repository/commits/:sha/statuses: the latest per name
/// and ref unless all=true). The context is the status's name, which Flux's gitlab provider sets to the Kustomization.
/// </summary>
internal sealed class GitLabStatusReader(ForgeHttp http) : IForgeStatusReader
{
    private const int PageSize = 100;

    private readonly string project = "projects/" + ForgeCalls.Segment(http.Repository.Owner + "/" + http.Repository.Name);

    public async Task<IReadOnlyList<CommitStatus>> ReadAsync(string commit, CancellationToken cancellationToken)
    {
        var all = new List<GitLabCommitStatus>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{project}/repository/commits/…/statuses");
            var found = await http.GetAsync($"{project}/repository/commits/{ForgeCalls.Segment(commit)}/statuses" + ForgeCalls.Query(
                ("per_page", PageSize.ToString(CultureInfo.InvariantCulture)), ("page", page.ToString(CultureInfo.InvariantCulture))),
                GitLabJson.Default.ListGitLabCommitStatus, null, cancellationToken).ConfigureAwait(false);
            all.AddRange(found);
            if (found.Count < PageSize)
                break;
        }
        // The same name may come once per ref: the newest (highest id) is its state.
        return [.. all.Where(s => !string.IsNullOrEmpty(s.Name))
            .GroupBy(s => s.Name!, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.MaxBy(s => s.Id)!)
            .Select(s => new CommitStatus(s.Name!, StateOf(s.Status), s.Description, s.TargetUrl))];
    }

    // created, waiting_for_resource, preparing, pending, running, manual, scheduled: not final yet.
    private static CommitStatusState StateOf(string? status) => status switch
    {
        "success" => CommitStatusState.Success,
        "failed" => CommitStatusState.Failure,
        "canceled" or "skipped" => CommitStatusState.Error,
        _ => CommitStatusState.Pending,
    };

    public void Dispose() => http.Dispose();
}
