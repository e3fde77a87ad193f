namespace GitOps.Build.Forge.AzureDevOps;

/// <summary>
/// A commit's statuses through Azure DevOps' Git REST 7.1 (GET …/commits/{commitId}/statuses?latestOnly=true: the newest
/// per context). The repository is addressed by name, which the call takes as well as the id. The context is the
/// status's context name (Flux's azuredevops provider: the Kustomization; its genre, "fluxcd", is not part of it).
/// </summary>
internal sealed class AzureDevOpsStatusReader(ForgeHttp http) : IForgeStatusReader
{
    private const int PageSize = 1000;

    public async Task<IReadOnlyList<CommitStatus>> ReadAsync(string commit, CancellationToken cancellationToken)
    {
        var repository = $"{ForgeCalls.Segment(http.Repository.Project ?? "")}/_apis/git/repositories/{ForgeCalls.Segment(http.Repository.Name)}";
        var all = new List<AzureStatus>();
        for (var skip = 0; ; skip += PageSize)
        {
            http.CheckPage(skip / PageSize + 1, $"GET {repository}/commits/…/statuses");
            var found = await AzureDevOpsClient.GetListAsync(http, $"{repository}/commits/{ForgeCalls.Segment(commit)}/statuses" + ForgeCalls.Query(
                ("latestOnly", "true"), ("top", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("skip", skip.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("api-version", "7.1")),
                AzureDevOpsJson.Default.ListAzureStatus, null, cancellationToken).ConfigureAwait(false);
            all.AddRange(found);
            if (found.Count < PageSize)
                break;
        }
        return [.. all.Where(s => !string.IsNullOrEmpty(s.Context?.Name))
            .GroupBy(s => s.Context!.Name!, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.MaxBy(s => s.Id)!)
            .Select(s => new CommitStatus(s.Context!.Name!, StateOf(s.State), s.Description, s.TargetUrl))];
    }

    // notApplicable is final and blocks nothing (as a branch policy reads it); notSet and pending are not final.
    private static CommitStatusState StateOf(string? state) => state switch
    {
        "succeeded" or "notApplicable" => CommitStatusState.Success,
        "failed" => CommitStatusState.Failure,
        "error" => CommitStatusState.Error,
        _ => CommitStatusState.Pending,
    };

    public void Dispose() => http.Dispose();
}
