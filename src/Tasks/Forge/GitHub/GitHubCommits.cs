using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.GitHub;

/// <summary>
/// GitOpsCommitMethod=api on GitHub: reads through the branches, contents and trees API, writes through the Git Data
/// API (a blob per file, a tree on base_tree, a commit, then the ref moved without force). Chosen over GraphQL
/// createCommitOnBranch (expectedHeadOid) because that mutation cannot name an author, cannot keep a file's mode, and
/// has no description the contract tests can hold it to; the Git Data API does all three, and with no author from an
/// App token GitHub signs the commit just the same. A single manifest costs six calls: the branch, the file (its
/// content in the same answer), the blob, the tree, the commit, the ref (one more the first time, to learn the
/// default branch when GitOpsConfigBranch is unset). Plain calls on <see cref="ForgeHttp"/> with source-generated JSON:
/// Octokit's Git Data client labels its JSON as form content and hides the answer a lost race needs.
/// </summary>
internal sealed class GitHubCommits(ForgeHttp http) : IForgeCommits
{
    private readonly string root = $"repos/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";

    public ForgeRepository Repository => http.Repository;

    public async Task<string> DefaultBranchAsync(CancellationToken cancellationToken)
    {
        var repository = await http.GetAsync(root, GitHubGitJson.Default.GitHubRepositoryInfo, null, cancellationToken).ConfigureAwait(false);
        return repository.DefaultBranch is { Length: > 0 } name
            ? name
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, "GET /" + root, "no default_branch in the answer");
    }

    public async Task<ForgeTip?> ReadTipAsync(string branch, CancellationToken cancellationToken)
    {
        // One call: the branch's commit with its message (trailers) and root tree.
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{root}/branches/{ForgeCalls.Segments(branch)}", null, branch, cancellationToken, HttpStatusCode.NotFound)
            .ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var found = http.ParseJson(answer.Body, "GET /" + root + "/branches/" + branch, GitHubGitJson.Default.GitHubBranch);
        return found.Commit is { Sha: { } sha, Commit: { Tree.Sha: { } tree } detail }
            ? new ForgeTip(branch, sha, detail.Message ?? "", tree)
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, "GET /" + root + "/branches/" + branch, "no commit in the answer");
    }

    public async Task<ForgeFile?> ReadFileAsync(ForgeTip tip, string path, CancellationToken cancellationToken)
    {
        var operation = $"GET /{root}/contents/{path}";
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{root}/contents/{ForgeCalls.Segments(path)}" + ForgeCalls.Query(("ref", tip.Sha)), null, tip.Branch,
            cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound || answer.Body.TrimStart().StartsWith('['))
            return null; // nothing there, or a directory (its listing)
        var content = http.ParseJson(answer.Body, operation, GitHubGitJson.Default.GitHubContent);
        // The contents API answers a link to a file in the repository with that file: its path then differs.
        if (content.Type == "symlink" || (content.Path is { } answered && answered != path))
            throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path);
        if (content.Type != "file" || content.Sha is not { } sha)
            return null; // a submodule
        var entry = new ForgeEntry(path, content.Size, null, sha);
        // Above 1 MB the contents API leaves the content out ("encoding": "none"): the blob has it.
        var bytes = content.Encoding == "base64" && content.Content is { } text
            ? Base64(text, operation)
            : await ReadAsync(tip, entry, cancellationToken).ConfigureAwait(false);
        return new ForgeFile(entry, bytes);
    }

    public async Task<IReadOnlyList<ForgeEntry>> ListAsync(ForgeTip tip, string directory, CancellationToken cancellationToken)
    {
        // Walk to the directory one tree at a time (only the trees on its path), then list it whole.
        var tree = tip.Tree;
        if (directory.Length > 0)
        {
            foreach (var segment in directory.Split('/'))
            {
                var level = await TreeAsync(tree, recursive: false, tip.Branch, cancellationToken).ConfigureAwait(false);
                var next = level.Tree?.FirstOrDefault(e => e.Path == segment);
                if (next is not { Type: "tree", Sha: { } sha }) return [];
                tree = sha;
            }
        }
        var prefix = directory.Length > 0 ? directory + "/" : "";
        var listing = await TreeAsync(tree, recursive: true, tip.Branch, cancellationToken).ConfigureAwait(false);
        if (listing.Truncated != true)
            return [.. Files(listing, prefix)];
        // Too large for one answer: each subtree on its own, each tree read once (the same directory at two paths
        // shares its id). An answer no git repository gives is GITOPS107, not a walk until the deadline: a tree
        // listed inside itself, trees nested past MaxTreeDepth (ids made up without end), more than MaxTreeEntries.
        var files = new List<ForgeEntry>();
        var levels = new Dictionary<string, GitHubTree>(StringComparer.OrdinalIgnoreCase);
        var entries = 0L;
        var pending = new Queue<TreeStep>([new TreeStep(tree, prefix, null, 0)]);
        while (pending.Count > 0)
        {
            var step = pending.Dequeue();
            if (!levels.TryGetValue(step.Sha, out var level))
                levels[step.Sha] = level = await TreeAsync(step.Sha, recursive: false, tip.Branch, cancellationToken).ConfigureAwait(false);
            if ((entries += level.Tree?.Count ?? 0) > MaxTreeEntries)
                throw TreeUnusable(step.Sha, $"more than {MaxTreeEntries:N0} entries under '{directory}'");
            files.AddRange(Files(level, step.Prefix));
            foreach (var sub in level.Tree ?? [])
            {
                if (sub is not { Type: "tree", Sha: { } subSha, Path: { } name }) continue;
                if (step.Holds(subSha))
                    throw TreeUnusable(step.Sha, $"the tree {subSha} lists itself among its subtrees (at '{step.Prefix}{name}')");
                if (step.Depth >= MaxTreeDepth)
                    throw TreeUnusable(step.Sha, $"trees nested deeper than {MaxTreeDepth} levels");
                pending.Enqueue(new TreeStep(subSha, step.Prefix + name + "/", step, step.Depth + 1));
            }
        }
        return files;
    }

    /// <summary>
    /// Deeper than any config repository's directories. Lower than a clone's bound (git's core.maxTreeDepth,
    /// <see cref="ConfigRepo.ConfigTree.MaxTreeDepth"/>): here each level is a request to the forge.
    /// </summary>
    internal const int MaxTreeDepth = 256;

    /// <summary>As many entries as a clone's pack may hold objects (GITOPS118).</summary>
    internal const long MaxTreeEntries = 1_000_000;

    private GitOpsException TreeUnusable(string sha, string reason) =>
        new(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, $"GET /{root}/git/trees/{sha}", reason);

    /// <summary>A tree on the walk and the trees above it: a tree cannot hold itself, as its id names its content.</summary>
    private sealed record TreeStep(string Sha, string Prefix, TreeStep? Parent, int Depth)
    {
        public bool Holds(string sha)
        {
            for (var step = this; step is not null; step = step.Parent)
                if (string.Equals(step.Sha, sha, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }

    public async Task<byte[]> ReadAsync(ForgeTip tip, ForgeEntry entry, CancellationToken cancellationToken)
    {
        var blob = await http.GetAsync($"{root}/git/blobs/{entry.Id}", GitHubGitJson.Default.GitHubBlob, tip.Branch, cancellationToken).ConfigureAwait(false);
        return blob.Encoding == "base64" && blob.Content is { } text
            ? Base64(text, $"GET /{root}/git/blobs/{entry.Id}")
            : Encoding.UTF8.GetBytes(blob.Content ?? "");
    }

    public async Task<IReadOnlyList<ForgeChange>> HistoryAsync(ForgeTip tip, string path, int limit, CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        var changes = new List<ForgeChange>();
        for (var page = 1; changes.Count < limit; page++)
        {
            http.CheckPage(page, $"GET /{root}/commits", ForgeCalls.MaxTreePages);
            var found = await http.GetAsync($"{root}/commits" + ForgeCalls.Query(("sha", tip.Sha), ("path", path),
                ("per_page", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                GitHubGitJson.Default.ListGitHubBranchCommit, tip.Branch, cancellationToken).ConfigureAwait(false);
            changes.AddRange(found.Where(c => c.Sha is { Length: > 0 })
                .Select(c => new ForgeChange(c.Sha!, c.Commit?.Committer?.Date ?? default, c.Commit?.Message ?? "")));
            if (found.Count < PageSize) break;
        }
        return [.. changes.Take(limit)];
    }

    public async Task<bool?> IsAncestorAsync(string ancestor, string descendant, string branch, CancellationToken cancellationToken)
    {
        // The compare's status says which way the two stand; one commit listed at most keeps the answer small.
        var path = $"{root}/compare/{ForgeCalls.Segment(ancestor)}...{ForgeCalls.Segment(descendant)}" + ForgeCalls.Query(("per_page", "1"));
        var answer = await http.SendTolerantAsync(HttpMethod.Get, path, null, branch, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var operation = $"GET /{root}/compare/{ancestor}...{descendant}";
        return http.ParseJson(answer.Body, operation, GitHubGitJson.Default.GitHubComparison).Status switch
        {
            "identical" or "ahead" => true,
            "behind" or "diverged" => false,
            var other => throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, operation, $"status '{other}'"),
        };
    }

    public async Task<ForgeCommitChanges> ChangesAsync(ForgeTip tip, CancellationToken cancellationToken)
    {
        // The single commit: its parents, and its files against the first parent a page at a time (status "changed" is a mode or type change).
        const int PageSize = 100;
        var operation = $"GET /{root}/commits/{tip.Sha}";
        IReadOnlyList<string>? parents = null;
        var files = new List<ForgeFileChange>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, operation);
            var found = await http.GetAsync($"{root}/commits/{ForgeCalls.Segment(tip.Sha)}" + ForgeCalls.Query(
                ("per_page", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                GitHubGitJson.Default.GitHubCommitChanges, tip.Branch, cancellationToken).ConfigureAwait(false);
            parents ??= [.. (found.Parents ?? []).Select(p => p.Sha ?? throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, operation, "a parent without a sha"))];
            var listed = found.Files ?? [];
            files.AddRange(listed.Select(f => new ForgeFileChange(f.Filename ?? "", f.Status ?? "")));
            if (listed.Count < PageSize) return new ForgeCommitChanges(parents, files);
        }
    }

    public async Task<ForgeWrite?> WriteAsync(ForgeCommitSpec spec, Action<string> created, CancellationToken cancellationToken)
    {
        var entries = new List<GitHubNewTreeEntry>();
        foreach (var file in spec.Files)
        {
            // Base64: the bytes exactly as edited (a BOM, CRLF, any encoding), which a JSON string cannot promise.
            var blob = await PostAsync("git/blobs", new GitHubNewBlob(Convert.ToBase64String(file.Content), "base64"), GitHubGitJson.Default.GitHubNewBlob,
                spec.Branch, cancellationToken).ConfigureAwait(false);
            var expected = BlobId(file.Content);
            if (!string.Equals(blob, expected, StringComparison.OrdinalIgnoreCase))
                throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, $"POST /{root}/git/blobs",
                    $"the blob for {file.Path} came back as {blob}, not {expected}: the content was changed on the way");
            entries.Add(new GitHubNewTreeEntry(file.Path, file.Mode, "blob", blob));
        }
        var tree = await PostAsync("git/trees", new GitHubNewTree(spec.Parent.Tree, entries), GitHubGitJson.Default.GitHubNewTree, spec.Branch,
            cancellationToken).ConfigureAwait(false);
        var author = spec.Author is { } who ? new GitHubIdentity(who.Name, who.Email, who.When.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'",
            System.Globalization.CultureInfo.InvariantCulture)) : null;
        var commit = await PostAsync("git/commits", new GitHubNewCommit(spec.Message, tree, [spec.Parent.Sha], author, author),
            GitHubGitJson.Default.GitHubNewCommit, spec.Branch, cancellationToken).ConfigureAwait(false);
        created(commit);

        // Never forced: a branch that moved since the read refuses the update (422), and so does a branch created meanwhile.
        var answer = spec.CreateBranch
            ? await http.SendTolerantAsync(HttpMethod.Post, $"{root}/git/refs",
                ForgeCalls.Json(new GitHubNewRef("refs/heads/" + spec.Branch, commit), GitHubGitJson.Default.GitHubNewRef), spec.Branch, cancellationToken,
                HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict).ConfigureAwait(false)
            : await http.SendTolerantAsync(HttpMethod.Patch, $"{root}/git/refs/heads/{ForgeCalls.Segments(spec.Branch)}",
                ForgeCalls.Json(new GitHubRefUpdate(commit, false), GitHubGitJson.Default.GitHubRefUpdate), spec.Branch, cancellationToken,
                HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict).ConfigureAwait(false);
        if (!answer.IsSuccess) return null;
        // The answer is the ref as it now is (git-ref: object.sha required): a hook or proxy that dropped the update
        // while answering 200 shows here.
        var operation = spec.CreateBranch ? $"POST /{root}/git/refs" : $"PATCH /{root}/git/refs/heads/{spec.Branch}";
        var moved = http.ParseJson(answer.Body, operation, GitHubGitJson.Default.GitHubRef).Object?.Sha;
        if (!string.Equals(moved, commit, StringComparison.OrdinalIgnoreCase))
            throw new GitOpsException(Errors.ApiCommitNotApplied, Repository.Kind, http.DisplayApi, spec.Branch, Messages.ShortSha(commit),
                moved is { Length: > 0 } ? $"its answer to {operation} puts the branch at {Messages.ShortSha(moved)}" : $"its answer to {operation} names no commit (object.sha)");
        return new ForgeWrite(commit, AtTip: true);
    }

    public void Dispose() => http.Dispose();

    /// <summary>Git's id of a blob with this content: what GitHub must answer for it.</summary>
    internal static string BlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git's object ids are SHA-1: compared, not trusted for security
        return Convert.ToHexString(SHA1.HashData([.. header, .. content])).ToLowerInvariant();
#pragma warning restore CA5350
    }

    private static IEnumerable<ForgeEntry> Files(GitHubTree tree, string prefix) =>
        (tree.Tree ?? []).Where(e => e is { Type: "blob", Path: not null, Sha: not null })
            .Select(e => new ForgeEntry(prefix + e.Path, e.Size ?? 0, e.Mode, e.Sha!));

    private Task<GitHubTree> TreeAsync(string sha, bool recursive, string branch, CancellationToken cancellationToken) =>
        http.GetAsync($"{root}/git/trees/{sha}" + (recursive ? "?recursive=1" : ""), GitHubGitJson.Default.GitHubTree, branch, cancellationToken);

    private async Task<string> PostAsync<T>(string path, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string branch,
        CancellationToken cancellationToken)
    {
        var made = await http.SendAsync(HttpMethod.Post, $"{root}/{path}", body, type, GitHubGitJson.Default.GitHubObject, branch, cancellationToken)
            .ConfigureAwait(false);
        return made.Sha ?? throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, $"POST /{root}/{path}", "no sha in the answer");
    }

    private byte[] Base64(string text, string operation) => ForgeCalls.Base64(http, text.Replace("\n", "", StringComparison.Ordinal), operation);
}

internal sealed record GitHubRepositoryInfo(string? DefaultBranch);

internal sealed record GitHubBranch(string? Name, GitHubBranchCommit? Commit);

internal sealed record GitHubBranchCommit(string? Sha, GitHubCommitDetail? Commit);

internal sealed record GitHubCommitDetail(string? Message, GitHubObject? Tree, GitHubCommitUser? Committer = null);

internal sealed record GitHubCommitUser(DateTimeOffset? Date);

internal sealed record GitHubObject(string? Sha);

/// <summary>A compare of two commits: "ahead" or "identical" when the base is an ancestor of the head.</summary>
internal sealed record GitHubComparison(string? Status);

internal sealed record GitHubContent(string? Type, string? Path, long Size, string? Sha, string? Content, string? Encoding);

internal sealed record GitHubTree(string? Sha, bool? Truncated, IReadOnlyList<GitHubTreeEntry>? Tree);

internal sealed record GitHubTreeEntry(string? Path, string? Mode, string? Type, string? Sha, long? Size);

internal sealed record GitHubBlob(string? Sha, string? Content, string? Encoding, long? Size);

internal sealed record GitHubNewBlob(string Content, string Encoding);

internal sealed record GitHubNewTree(string BaseTree, IReadOnlyList<GitHubNewTreeEntry> Tree);

internal sealed record GitHubNewTreeEntry(string Path, string Mode, string Type, string Sha);

internal sealed record GitHubIdentity(string Name, string Email, string Date);

internal sealed record GitHubNewCommit(string Message, string Tree, IReadOnlyList<string> Parents, GitHubIdentity? Author, GitHubIdentity? Committer);

internal sealed record GitHubDiffEntry(string? Filename, string? Status);

internal sealed record GitHubCommitChanges(string? Sha, IReadOnlyList<GitHubObject>? Parents, IReadOnlyList<GitHubDiffEntry>? Files);

internal sealed record GitHubRefUpdate(string Sha, bool Force);

internal sealed record GitHubNewRef(string Ref, string Sha);

internal sealed record GitHubRef(string? Ref, GitHubObject? Object);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GitHubRepositoryInfo))]
[JsonSerializable(typeof(GitHubBranch))]
[JsonSerializable(typeof(List<GitHubBranchCommit>))]
[JsonSerializable(typeof(GitHubContent))]
[JsonSerializable(typeof(GitHubTree))]
[JsonSerializable(typeof(GitHubBlob))]
[JsonSerializable(typeof(GitHubObject))]
[JsonSerializable(typeof(GitHubComparison))]
[JsonSerializable(typeof(GitHubCommitChanges))]
[JsonSerializable(typeof(GitHubNewBlob))]
[JsonSerializable(typeof(GitHubNewTree))]
[JsonSerializable(typeof(GitHubNewCommit))]
[JsonSerializable(typeof(GitHubRefUpdate))]
[JsonSerializable(typeof(GitHubNewRef))]
[JsonSerializable(typeof(GitHubRef))]
internal sealed partial class GitHubGitJson : JsonSerializerContext;
