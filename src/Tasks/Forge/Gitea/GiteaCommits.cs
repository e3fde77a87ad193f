using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.Gitea;

/// <summary>
/// GitOpsCommitMethod=api on Gitea and Forgejo (API v1): reads the branch, then the git trees on a manifest's path (a
/// commit id names its root tree; each tree is read once, its id naming its content) and the file's blob; writes every
/// file in one call to the multi-file contents API (ChangeFilesOptions). Trees rather than the contents API: a tree
/// entry says a link is a link (mode 120000) and gives the blob sha the write is guarded by, and contents/{filepath}
/// answers a directory with a list its description does not declare. The guard is each file's blob sha as read: a
/// file changed since is refused (422), and the branch read again tells a lost race from a real refusal. Gitea's
/// ChangeFilesOptions has no base-commit field (1.27.1's description): a push that changed only other files is kept
/// under the new commit, which is what re-reading and re-applying the change would give.
/// </summary>
internal sealed class GiteaCommits(ForgeHttp http) : IForgeCommits
{
    private const int TreePage = 1000;

    // Gitea's default MAX_RESPONSE_ITEMS: a larger limit is cut to it.
    private const int CommitPage = 50;

    private readonly string repo = $"repos/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";
    private readonly Dictionary<string, IReadOnlyList<GiteaTreeEntry>> levels = new(StringComparer.Ordinal);

    public ForgeRepository Repository => http.Repository;

    public async Task<string> DefaultBranchAsync(CancellationToken cancellationToken)
    {
        var repository = await http.GetAsync(repo, GiteaJson.Default.GiteaRepository, null, cancellationToken).ConfigureAwait(false);
        return repository.DefaultBranch is { Length: > 0 } name
            ? name
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, "GET /" + repo, "no default_branch in the answer");
    }

    public async Task<ForgeTip?> ReadTipAsync(string branch, CancellationToken cancellationToken)
    {
        var operation = $"GET /{repo}/branches/{branch}";
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{repo}/branches/{ForgeCalls.Segment(branch)}", null, branch, cancellationToken,
            HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var found = http.ParseJson(answer.Body, operation, GiteaCommitJson.Default.GiteaTipBranch);
        return found.Commit is { Id: { Length: > 0 } sha } commit
            ? new ForgeTip(branch, sha, commit.Message ?? "", "")
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, operation, "no commit in the answer");
    }

    public async Task<ForgeFile?> ReadFileAsync(ForgeTip tip, string path, CancellationToken cancellationToken)
    {
        var slash = path.LastIndexOf('/');
        var directory = slash < 0 ? "" : path[..slash];
        if (await TreeOfAsync(tip, directory, cancellationToken).ConfigureAwait(false) is not { } tree)
            return null;
        var found = (await LevelAsync(tree, tip.Branch, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Path == path[(slash + 1)..]);
        if (found is not { Type: "blob", Sha: { } sha })
            return null; // nothing there, a directory or a submodule
        var entry = new ForgeEntry(path, found.Size ?? 0, found.Mode, sha);
        if (entry.IsSymbolicLink)
            throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path);
        return new ForgeFile(entry, await ReadAsync(tip, entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<ForgeEntry>> ListAsync(ForgeTip tip, string directory, CancellationToken cancellationToken)
    {
        if (await TreeOfAsync(tip, directory, cancellationToken).ConfigureAwait(false) is not { } tree)
            return [];
        var prefix = directory.Length > 0 ? directory + "/" : "";
        var files = new List<ForgeEntry>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{repo}/git/trees/{tree}", ForgeCalls.MaxTreePages);
            var listing = await TreeAsync(tree, recursive: true, page, tip.Branch, cancellationToken).ConfigureAwait(false);
            files.AddRange((listing.Tree ?? []).Where(e => e is { Type: "blob", Path: not null, Sha: not null })
                .Select(e => new ForgeEntry(prefix + e.Path, e.Size ?? 0, e.Mode, e.Sha!)));
            if (listing.Truncated != true || listing.Tree is not { Count: > 0 })
                return files;
        }
    }

    public async Task<IReadOnlyList<ForgeChange>> HistoryAsync(ForgeTip tip, string path, int limit, CancellationToken cancellationToken)
    {
        var changes = new List<ForgeChange>();
        for (var page = 1; changes.Count < limit; page++)
        {
            http.CheckPage(page, $"GET /{repo}/commits", ForgeCalls.MaxTreePages);
            var found = await http.GetAsync($"{repo}/commits" + ForgeCalls.Query(("sha", tip.Sha), ("path", path), ("stat", "false"), ("verification", "false"),
                ("files", "false"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("limit", CommitPage.ToString(CultureInfo.InvariantCulture))),
                GiteaCommitJson.Default.ListGiteaListedCommit, tip.Branch, cancellationToken).ConfigureAwait(false);
            changes.AddRange(found.Where(c => c.Sha is { Length: > 0 })
                .Select(c => new ForgeChange(c.Sha!, c.Commit?.Committer?.Date ?? default, c.Commit?.Message ?? "")));
            if (found.Count < CommitPage) break;
        }
        return [.. changes.Take(limit)];
    }

    public async Task<ForgeCommitChanges> ChangesAsync(ForgeTip tip, CancellationToken cancellationToken)
    {
        // The history listing from the tip, one commit long, with its files (Gitea's statuses: added, modified, removed).
        var found = await http.GetAsync($"{repo}/commits" + ForgeCalls.Query(("sha", tip.Sha), ("stat", "false"), ("verification", "false"), ("files", "true"),
            ("limit", "1")), GiteaCommitJson.Default.ListGiteaListedCommit, tip.Branch, cancellationToken).ConfigureAwait(false);
        if (found is not [{ Sha: { } sha } commit] || !string.Equals(sha, tip.Sha, StringComparison.OrdinalIgnoreCase))
            throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, $"GET /{repo}/commits?sha={tip.Sha}", "the answer is not that one commit");
        return new ForgeCommitChanges([.. (commit.Parents ?? []).Select(p => p.Sha ?? "")],
            [.. (commit.Files ?? []).Select(f => new ForgeFileChange(f.Filename ?? "", f.Status ?? ""))]);
    }

    public async Task<byte[]> ReadAsync(ForgeTip tip, ForgeEntry entry, CancellationToken cancellationToken)
    {
        var blob = await http.GetAsync($"{repo}/git/blobs/{ForgeCalls.Segment(entry.Id)}", GiteaCommitJson.Default.GiteaBlob, tip.Branch, cancellationToken)
            .ConfigureAwait(false);
        return blob.Encoding == "base64" && blob.Content is { } text
            ? http.Base64(text, $"GET /{repo}/git/blobs/{entry.Id}")
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, $"GET /{repo}/git/blobs/{entry.Id}", "no base64 content in the answer");
    }

    public async Task<bool?> IsAncestorAsync(string ancestor, string descendant, string branch, CancellationToken cancellationToken)
    {
        // Gitea's compare of base...head lists the head's commits that the base lacks: none when the head (the
        // ancestor asked about) is the base or one of its ancestors.
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{repo}/compare/{ForgeCalls.Segment(descendant)}...{ForgeCalls.Segment(ancestor)}", null, branch,
            cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var operation = $"GET /{repo}/compare/{descendant}...{ancestor}";
        return http.ParseJson(answer.Body, operation, GiteaCommitJson.Default.GiteaCompare).TotalCommits is { } count
            ? count == 0
            : throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, operation, "no total_commits in the answer");
    }

    public async Task<ForgeWrite?> WriteAsync(ForgeCommitSpec spec, Action<string> created, CancellationToken cancellationToken)
    {
        // Base64: the bytes exactly as edited. Each file's sha is the guard: the blob this change was applied to.
        var files = spec.Files.Select(file => new GiteaFileChange("update", file.Path, Convert.ToBase64String(file.Content),
            file.BaseId ?? throw new ArgumentException($"{file.Path} has no base sha", nameof(spec)))).ToList();
        var who = spec.Author is { } author ? new GiteaIdentity(author.Name, author.Email) : null;
        var when = spec.Author is { } dated ? dated.When.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null;
        var body = new GiteaChangeFiles(files, spec.Message, spec.CreateBranch ? spec.BaseBranch : spec.Branch, spec.CreateBranch ? spec.Branch : null,
            who, who, when is null ? null : new GiteaCommitDates(when, when));
        // Never forced (force_push is not sent). 422: a file's sha no longer matches, or the new branch exists; 409: a
        // concurrent update of the branch inside Gitea.
        var answer = await http.SendTolerantAsync(HttpMethod.Post, $"{repo}/contents", ForgeCalls.Json(body, GiteaCommitJson.Default.GiteaChangeFiles),
            spec.Branch, cancellationToken, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            var made = http.ParseJson(answer.Body, $"POST /{repo}/contents", GiteaCommitJson.Default.GiteaFilesResponse);
            var sha = made.Commit?.Sha is { Length: > 0 } id
                ? id
                : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, $"POST /{repo}/contents", "no commit sha in the answer");
            created(sha);
            // The answer names the commit, not where the branch is: the writer reads the branch.
            return new ForgeWrite(sha, AtTip: false);
        }
        // Refused: a lost race only if the branch moved (or, to be created, now exists); else what Gitea says is wrong.
        var now = await ReadTipAsync(spec.Branch, cancellationToken).ConfigureAwait(false);
        if (spec.CreateBranch ? now is not null : now?.Sha != spec.Parent.Sha)
            return null;
        throw new GitOpsException(Errors.ForgeValidationFailed, Repository.Kind, http.DisplayApi, $"POST /{repo}/contents", (int)answer.Status, answer.Message);
    }

    public void Dispose() => http.Dispose();

    // The tree of a directory at the tip, walked from the commit (which names its root tree) one level at a time.
    private async Task<string?> TreeOfAsync(ForgeTip tip, string directory, CancellationToken cancellationToken)
    {
        var tree = tip.Sha;
        if (directory.Length == 0) return tree;
        foreach (var segment in directory.Split('/'))
        {
            var next = (await LevelAsync(tree, tip.Branch, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Path == segment);
            if (next is not { Type: "tree", Sha: { } sha }) return null;
            tree = sha;
        }
        return tree;
    }

    // One level of a tree; a tree's id names its content, so a level read once serves every later file and round.
    private async Task<IReadOnlyList<GiteaTreeEntry>> LevelAsync(string tree, string branch, CancellationToken cancellationToken)
    {
        if (levels.TryGetValue(tree, out var known)) return known;
        var entries = new List<GiteaTreeEntry>();
        for (var page = 1; ; page++)
        {
            var listing = await TreeAsync(tree, recursive: false, page, branch, cancellationToken).ConfigureAwait(false);
            entries.AddRange(listing.Tree ?? []);
            if (listing.Truncated != true || listing.Tree is not { Count: > 0 })
                return levels[tree] = entries;
        }
    }

    private Task<GiteaTree> TreeAsync(string sha, bool recursive, int page, string branch, CancellationToken cancellationToken) =>
        http.GetAsync($"{repo}/git/trees/{ForgeCalls.Segment(sha)}" + ForgeCalls.Query(("recursive", recursive ? "true" : null),
                ("page", page.ToString(CultureInfo.InvariantCulture)), ("per_page", TreePage.ToString(CultureInfo.InvariantCulture))),
            GiteaCommitJson.Default.GiteaTree, branch, cancellationToken);
}

// Gitea's Branch (its commit: PayloadCommit), ContentsResponse, GitTreeResponse, GitBlobResponse, ChangeFilesOptions and
// FilesResponse: the fields read and sent.

internal sealed record GiteaTipCommit(string? Id, string? Message);

internal sealed record GiteaTipBranch(string? Name, GiteaTipCommit? Commit);

internal sealed record GiteaTreeEntry(string? Path, string? Mode, string? Type, string? Sha, long? Size);

internal sealed record GiteaTree(string? Sha, bool? Truncated, IReadOnlyList<GiteaTreeEntry>? Tree);

internal sealed record GiteaBlob(string? Sha, string? Content, string? Encoding);

internal sealed record GiteaCommitUser(DateTimeOffset? Date);

internal sealed record GiteaCommitBody(string? Message, GiteaCommitUser? Committer);

internal sealed record GiteaParent(string? Sha);

internal sealed record GiteaAffectedFile(string? Filename, string? Status);

internal sealed record GiteaListedCommit(string? Sha, GiteaCommitBody? Commit, IReadOnlyList<GiteaParent>? Parents = null, IReadOnlyList<GiteaAffectedFile>? Files = null);

internal sealed record GiteaFileChange(string Operation, string Path, string Content, string Sha);

internal sealed record GiteaIdentity(string Name, string Email);

internal sealed record GiteaCommitDates(string Author, string Committer);

internal sealed record GiteaChangeFiles(
    IReadOnlyList<GiteaFileChange> Files,
    string Message,
    string? Branch,
    string? NewBranch,
    GiteaIdentity? Author,
    GiteaIdentity? Committer,
    GiteaCommitDates? Dates);

internal sealed record GiteaMadeCommit(string? Sha);

internal sealed record GiteaFilesResponse(GiteaMadeCommit? Commit);

internal sealed record GiteaCompare(long? TotalCommits);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GiteaTipBranch))]
[JsonSerializable(typeof(GiteaTree))]
[JsonSerializable(typeof(GiteaBlob))]
[JsonSerializable(typeof(List<GiteaListedCommit>))]
[JsonSerializable(typeof(GiteaChangeFiles))]
[JsonSerializable(typeof(GiteaFilesResponse))]
[JsonSerializable(typeof(GiteaCompare))]
internal sealed partial class GiteaCommitJson : JsonSerializerContext;
