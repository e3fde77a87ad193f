using System.Globalization;
using System.Net;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.GitLab;

/// <summary>
/// GitOpsCommitMethod=api on GitLab: reads through the branches, repository tree and raw blob API, writes one commit
/// with actions (POST repository/commits). GitLab has no compare-and-swap on the branch there: each update action
/// carries last_commit_id (the tip read), and GitLab refuses it when the file changed on the branch since (it compares
/// the file's last commit as of that id with the branch's). A branch moved only by commits that touched none of the
/// files takes the commit on top, which is what re-reading and re-applying would commit. A new branch (a pull
/// request's) starts at the tip read (start_sha), and GitLab refuses it when the branch exists by then.
/// A single manifest costs five calls: the branch, its directory's listing (the file's mode: a link is refused as on a
/// clone, which the files API would not tell), the blob, the commit, the branch again (the answer names the commit, not the branch).
/// </summary>
internal sealed class GitLabCommits(ForgeHttp http) : IForgeCommits
{
    private const int PageSize = 100;

    private readonly string project = GitLabClient.ProjectPath(http.Repository);

    public ForgeRepository Repository => http.Repository;

    public Task<string> DefaultBranchAsync(CancellationToken cancellationToken) => GitLabClient.DefaultBranchAsync(http, project, cancellationToken);

    public async Task<ForgeTip?> ReadTipAsync(string branch, CancellationToken cancellationToken)
    {
        var operation = $"GET /{project}/repository/branches/{branch}";
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{project}/repository/branches/{ForgeCalls.Segment(branch)}", null, branch,
            cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var found = http.ParseJson(answer.Body, operation, GitLabJson.Default.GitLabBranch);
        return found.Commit is { Id: { Length: > 0 } sha } commit
            ? new ForgeTip(branch, sha, commit.Message ?? "", "")
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, operation, "no commit in the answer");
    }

    public async Task<ForgeFile?> ReadFileAsync(ForgeTip tip, string path, CancellationToken cancellationToken)
    {
        var slash = path.LastIndexOf('/');
        var name = path[(slash + 1)..];
        var directory = await TreeAsync(tip, slash < 0 ? "" : path[..slash], recursive: false, cancellationToken).ConfigureAwait(false);
        if (directory.FirstOrDefault(e => e.Name == name) is not { Type: "blob", Id: { } id } found)
            return null; // nothing there, a directory or a submodule
        var entry = new ForgeEntry(path, 0, found.Mode, id);
        if (entry.IsSymbolicLink)
            throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path);
        var content = await ReadAsync(tip, entry, cancellationToken).ConfigureAwait(false);
        return new ForgeFile(entry with { Size = content.Length }, content);
    }

    public async Task<IReadOnlyList<ForgeEntry>> ListAsync(ForgeTip tip, string directory, CancellationToken cancellationToken) =>
        [.. (await TreeAsync(tip, directory, recursive: true, cancellationToken).ConfigureAwait(false))
            .Where(e => e is { Type: "blob", Path: not null, Id: not null })
            .Select(e => new ForgeEntry(e.Path!, 0, e.Mode, e.Id!))];

    public Task<byte[]> ReadAsync(ForgeTip tip, ForgeEntry entry, CancellationToken cancellationToken) =>
        http.GetBytesAsync($"{project}/repository/blobs/{ForgeCalls.Segment(entry.Id)}/raw", tip.Branch, cancellationToken);

    public async Task<IReadOnlyList<ForgeChange>> HistoryAsync(ForgeTip tip, string path, int limit, CancellationToken cancellationToken)
    {
        var changes = new List<ForgeChange>();
        for (var page = 1; changes.Count < limit; page++)
        {
            http.CheckPage(page, $"GET /{project}/repository/commits", ForgeCalls.MaxTreePages);
            var found = await http.GetAsync($"{project}/repository/commits" + ForgeCalls.Query(("ref_name", tip.Sha), ("path", path), ("first_parent", "true"),
                ("per_page", PageSize.ToString(CultureInfo.InvariantCulture)), ("page", page.ToString(CultureInfo.InvariantCulture))),
                GitLabJson.Default.ListGitLabCommit, tip.Branch, cancellationToken).ConfigureAwait(false);
            changes.AddRange(found.Where(c => c.Id is { Length: > 0 }).Select(c => new ForgeChange(c.Id!, c.CreatedAt ?? default, c.Message ?? "")));
            if (found.Count < PageSize) break;
        }
        return [.. changes.Take(limit)];
    }

    public async Task<bool?> IsAncestorAsync(string ancestor, string descendant, string branch, CancellationToken cancellationToken)
    {
        // GitLab's merge base of the two (refs comma-separated, as its API coerces them): the ancestor itself when it is one.
        // 400 names a ref it does not know, 404 is no merge base at all (unrelated histories).
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{project}/repository/merge_base" + ForgeCalls.Query(("refs", $"{ancestor},{descendant}")),
            null, branch, cancellationToken, HttpStatusCode.BadRequest, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.BadRequest) return null;
        if (answer.Status == HttpStatusCode.NotFound) return false;
        var merged = http.ParseJson(answer.Body, $"GET /{project}/repository/merge_base", GitLabJson.Default.GitLabCommit);
        return string.Equals(merged.Id, ancestor, StringComparison.OrdinalIgnoreCase);
    }

    public async Task<ForgeCommitChanges> ChangesAsync(ForgeTip tip, CancellationToken cancellationToken)
    {
        // The tip's parents: the history listing from it, one commit long. Its files: the commit's diff against its first
        // parent, a page at a time, with each side's mode.
        var listed = await http.GetAsync($"{project}/repository/commits" + ForgeCalls.Query(("ref_name", tip.Sha), ("per_page", "1")),
            GitLabJson.Default.ListGitLabCommit, tip.Branch, cancellationToken).ConfigureAwait(false);
        if (listed is not [{ Id: { } sha } commit] || !string.Equals(sha, tip.Sha, StringComparison.OrdinalIgnoreCase))
            throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, $"GET /{project}/repository/commits?ref_name={tip.Sha}",
                "the answer is not that one commit");
        var operation = $"GET /{project}/repository/commits/{tip.Sha}/diff";
        var files = new List<ForgeFileChange>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, operation);
            var found = await http.GetAsync($"{project}/repository/commits/{ForgeCalls.Segment(tip.Sha)}/diff" + ForgeCalls.Query(
                ("per_page", PageSize.ToString(CultureInfo.InvariantCulture)), ("page", page.ToString(CultureInfo.InvariantCulture))),
                GitLabJson.Default.ListGitLabDiff, tip.Branch, cancellationToken).ConfigureAwait(false);
            files.AddRange(found.Select(d => new ForgeFileChange(d.DeletedFile == true ? d.OldPath ?? "" : d.NewPath ?? "",
                d.NewFile == true ? "added" : d.DeletedFile == true ? "deleted" : d.RenamedFile == true ? "renamed" : ForgeFileChange.Modified, d.AMode, d.BMode)));
            if (found.Count < PageSize) return new ForgeCommitChanges(commit.ParentIds ?? [], files);
        }
    }

    public async Task<ForgeWrite?> WriteAsync(ForgeCommitSpec spec, Action<string> created, CancellationToken cancellationToken)
    {
        // Base64: the bytes exactly as edited. update keeps the file's mode (only a chmod action changes it).
        var actions = spec.Files.Select(file => new GitLabCommitAction("update", file.Path, Convert.ToBase64String(file.Content), "base64",
            spec.CreateBranch ? null : spec.Parent.Sha)).ToList();
        var body = new GitLabNewCommit(spec.Branch, spec.Message, actions, spec.CreateBranch ? spec.Parent.Sha : null,
            spec.Author?.Name, spec.Author?.Email, Stats: false);
        var operation = $"POST /{project}/repository/commits";
        var answer = await http.SendTolerantAsync(HttpMethod.Post, $"{project}/repository/commits", ForgeCalls.Json(body, GitLabJson.Default.GitLabNewCommit),
            spec.Branch, cancellationToken, HttpStatusCode.BadRequest).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            var commit = http.ParseJson(answer.Body, operation, GitLabJson.Default.GitLabCommit);
            var sha = commit.Id is { Length: > 0 } id ? id : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, operation, "no id in the answer");
            created(sha);
            if (commit.ParentIds is [var parent] && parent != spec.Parent.Sha)
                http.Log.Detail($"GitOps: {spec.Branch} had moved to {Messages.ShortSha(parent)} by commits that left the edited files alone: GitLab made the commit on top.");
            // The answer names the commit, not where the branch is: the writer reads the branch.
            return new ForgeWrite(sha, AtTip: false);
        }
        // 400 is every refusal (a file changed since the tip read, a branch that now exists, a bad path): only a moved
        // branch makes it a lost race.
        var now = await ReadTipAsync(spec.Branch, cancellationToken).ConfigureAwait(false);
        if (spec.CreateBranch ? now is not null : now?.Sha != spec.Parent.Sha)
            return null;
        throw new GitOpsException(Errors.ForgeValidationFailed, Repository.Kind, http.DisplayApi, operation, (int)answer.Status, answer.Message);
    }

    public void Dispose() => http.Dispose();

    // One directory of the tip's tree, page by page; empty when it is not there. With recursive, paths are the repository's.
    private async Task<List<GitLabTreeEntry>> TreeAsync(ForgeTip tip, string directory, bool recursive, CancellationToken cancellationToken)
    {
        var entries = new List<GitLabTreeEntry>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{project}/repository/tree", ForgeCalls.MaxTreePages);
            var path = $"{project}/repository/tree" + ForgeCalls.Query(("ref", tip.Sha), ("path", directory.Length == 0 ? null : directory),
                ("recursive", recursive ? "true" : null), ("per_page", PageSize.ToString(CultureInfo.InvariantCulture)), ("page", page.ToString(CultureInfo.InvariantCulture)));
            var answer = await http.SendTolerantAsync(HttpMethod.Get, path, null, tip.Branch, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
            if (answer.Status == HttpStatusCode.NotFound) return entries;
            var found = http.ParseJson(answer.Body, $"GET /{project}/repository/tree", GitLabJson.Default.ListGitLabTreeEntry);
            entries.AddRange(found);
            if (found.Count < PageSize) return entries;
        }
    }
}
