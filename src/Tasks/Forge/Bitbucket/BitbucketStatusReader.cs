namespace GitOps.Build.Forge.Bitbucket;

/// <summary>
/// A commit's build statuses through Bitbucket Cloud's API 2.0 (GET …/commit/{commit}/statuses, following the pages'
/// next links). A status is unique per key, so each is current; its context is its name (Flux's bitbucket provider: the
/// Kustomization), else its key.
/// </summary>
internal sealed class BitbucketStatusReader(ForgeHttp http) : IForgeStatusReader
{
    private readonly string repo = $"repositories/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";

    public async Task<IReadOnlyList<CommitStatus>> ReadAsync(string commit, CancellationToken cancellationToken)
    {
        var all = new List<CommitStatus>();
        string? page = $"{repo}/commit/{ForgeCalls.Segment(commit)}/statuses";
        for (var number = 1; page is not null; number++)
        {
            var found = await http.GetAsync(page, BitbucketJson.Default.BitbucketStatusPage, null, cancellationToken).ConfigureAwait(false);
            all.AddRange((found.Values ?? []).Where(s => !string.IsNullOrEmpty(s.Name ?? s.Key))
                .Select(s => new CommitStatus((s.Name ?? s.Key)!, StateOf(s.State), s.Description, s.Url)));
            // The next page is an absolute URL on the API's origin (ForgeHttp sends credentials nowhere else).
            page = http.NextPage(found.Next, number, $"GET /{repo}/commit/…/statuses");
        }
        return all;
    }

    private static CommitStatusState StateOf(string? state) => state switch
    {
        "SUCCESSFUL" => CommitStatusState.Success,
        "FAILED" => CommitStatusState.Failure,
        "STOPPED" => CommitStatusState.Error,
        _ => CommitStatusState.Pending,
    };

    public void Dispose() => http.Dispose();
}
