using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.Bitbucket;

/// <summary>
/// GitOpsCommitMethod=api on Bitbucket Cloud (API 2.0): reads the branch, then the directory listing that holds a
/// manifest (src/{commit}/{dir}/: its entries say which file is a link, an executable or a submodule, and how large)
/// and the file's raw bytes (src/{commit}/{path}); writes with one multipart POST to src, the files as file fields
/// named by their paths, with parents = the tip read and branch = the branch: Bitbucket answers 409 when the branch
/// is no longer at that parent (a lost race) and names the new commit in its Location. A single manifest costs five
/// calls: the branch, the listing, the file, the commit, the branch again (the answer does not say where the branch is).
/// </summary>
/// <remarks>Bitbucket has no blob ids: an entry is read by its path at the tip's commit (<see cref="ForgeEntry.Id"/> is the path).</remarks>
internal sealed class BitbucketCommits(ForgeHttp http) : IForgeCommits
{
    private readonly string repo = $"repositories/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";
    private readonly Dictionary<(string Commit, string Directory), IReadOnlyList<BitbucketTreeEntry>?> listings = [];

    public ForgeRepository Repository => http.Repository;

    public async Task<string> DefaultBranchAsync(CancellationToken cancellationToken)
    {
        var repository = await http.GetAsync(repo, BitbucketJson.Default.BitbucketRepository, null, cancellationToken).ConfigureAwait(false);
        return repository.Mainbranch?.Name is { Length: > 0 } name
            ? name
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, "GET /" + repo, "no mainbranch in the answer");
    }

    public async Task<ForgeTip?> ReadTipAsync(string branch, CancellationToken cancellationToken)
    {
        var operation = $"GET /{repo}/refs/branches/{branch}";
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{repo}/refs/branches/{ForgeCalls.Segment(branch)}", null, branch, cancellationToken,
            HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var found = http.ParseJson(answer.Body, operation, BitbucketCommitJson.Default.BitbucketTipBranch);
        return found.Target is { Hash: { Length: > 0 } sha } target
            ? new ForgeTip(branch, sha, target.Message ?? "", "")
            : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, operation, "no target commit in the answer");
    }

    public async Task<ForgeFile?> ReadFileAsync(ForgeTip tip, string path, CancellationToken cancellationToken)
    {
        var slash = path.LastIndexOf('/');
        var level = await LevelAsync(tip, slash < 0 ? "" : path[..slash], cancellationToken).ConfigureAwait(false);
        if (level?.FirstOrDefault(e => e.Path == path) is not { Type: "commit_file" } found)
            return null; // nothing there, or a directory
        var entry = Entry(found);
        if (entry.IsSymbolicLink)
            throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path);
        if (found.Attributes?.Contains("subrepository") == true)
            return null;
        return new ForgeFile(entry, await ReadAsync(tip, entry, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The most directories one listing walks: far more than a config repository's directory has.</summary>
    internal const int MaxDirectories = 100_000;

    public async Task<IReadOnlyList<ForgeEntry>> ListAsync(ForgeTip tip, string directory, CancellationToken cancellationToken)
    {
        // Each directory's listing, breadth first: max_depth would time out (555) on a large tree, and a level is what
        // a manifest's read needs anyway.
        // Listings are kept (LevelAsync): a directory that lists itself or a parent would be a loop without a call to the
        // server, growing until memory ran out. A directory is below the one that lists it, and listed once.
        var files = new List<ForgeEntry>();
        var pending = new Queue<string>([directory]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { directory };
        while (pending.TryDequeue(out var current))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var below = current.Length > 0 ? current + "/" : "";
            foreach (var entry in await LevelAsync(tip, current, cancellationToken).ConfigureAwait(false) ?? [])
            {
                if (entry is { Type: "commit_directory", Path: { } sub })
                {
                    if (sub.Length <= below.Length || !sub.StartsWith(below, StringComparison.Ordinal) || !seen.Add(sub) || seen.Count > MaxDirectories)
                        throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, $"GET /{repo}/src/{tip.Sha}/{current}",
                            seen.Count > MaxDirectories
                                ? string.Create(CultureInfo.InvariantCulture, $"more than {MaxDirectories:N0} directories under '{directory}/'")
                                : $"the directory '{(sub.Length > 200 ? sub[..200] + "…" : sub)}' listed in '{current}/', which is not below it or was listed before");
                    pending.Enqueue(sub);
                }
                else if (entry.Type == "commit_file" && entry.Attributes?.Contains("subrepository") != true)
                    files.Add(Entry(entry));
            }
        }
        return files;
    }

    public Task<byte[]> ReadAsync(ForgeTip tip, ForgeEntry entry, CancellationToken cancellationToken) =>
        http.GetBytesAsync($"{repo}/src/{ForgeCalls.Segment(tip.Sha)}/{ForgeCalls.Segments(entry.Path)}", tip.Branch, cancellationToken);

    public async Task<IReadOnlyList<ForgeChange>> HistoryAsync(ForgeTip tip, string path, int limit, CancellationToken cancellationToken)
    {
        var changes = new List<ForgeChange>();
        string? page = $"{repo}/commits/{ForgeCalls.Segment(tip.Sha)}" + ForgeCalls.Query(("path", path));
        for (var number = 1; page is not null && changes.Count < limit; number++)
        {
            var listing = await http.GetAsync(page, BitbucketCommitJson.Default.BitbucketCommitPage, tip.Branch, cancellationToken).ConfigureAwait(false);
            changes.AddRange((listing.Values ?? []).Where(c => c.Hash is { Length: > 0 }).Select(c => new ForgeChange(c.Hash!, c.Date ?? default, c.Message ?? "")));
            // The next page is an absolute HTTP(S) URL (ForgeHttp sends credentials to the API's origin only); anything
            // else (file://: NotSupportedException; empty: the same page again) and more pages than any listing's bound are GITOPS107.
            page = http.NextPage(listing.Next, number, $"GET /{repo}/commits/…", ForgeCalls.MaxTreePages);
        }
        return [.. changes.Take(limit)];
    }

    public async Task<bool?> IsAncestorAsync(string ancestor, string descendant, string branch, CancellationToken cancellationToken)
    {
        // Bitbucket's merge base of a two-commit revspec: the ancestor itself when it is one; 404 a commit it does not know.
        var answer = await http.SendTolerantAsync(HttpMethod.Get, $"{repo}/merge-base/{ForgeCalls.Segment(ancestor)}..{ForgeCalls.Segment(descendant)}", null, branch,
            cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var merged = http.ParseJson(answer.Body, $"GET /{repo}/merge-base/{ancestor}..{descendant}", BitbucketCommitJson.Default.BitbucketTipCommit);
        return string.Equals(merged.Hash, ancestor, StringComparison.OrdinalIgnoreCase);
    }

    public async Task<ForgeCommitChanges> ChangesAsync(ForgeTip tip, CancellationToken cancellationToken)
    {
        // The tip's parents: the history listing from it, its first entry. Its files: the diffstat of the commit (against its first parent).
        var listing = await http.GetAsync($"{repo}/commits/{ForgeCalls.Segment(tip.Sha)}", BitbucketCommitJson.Default.BitbucketCommitPage, tip.Branch,
            cancellationToken).ConfigureAwait(false);
        if (listing.Values is not [{ Hash: { } sha } commit, ..] || !string.Equals(sha, tip.Sha, StringComparison.OrdinalIgnoreCase))
            throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, $"GET /{repo}/commits/{tip.Sha}", "its first commit is not that one");
        var files = new List<ForgeFileChange>();
        string? page = $"{repo}/diffstat/{ForgeCalls.Segment(tip.Sha)}";
        for (var number = 1; page is not null; number++)
        {
            var stat = await http.GetAsync(page, BitbucketCommitJson.Default.BitbucketDiffstatPage, tip.Branch, cancellationToken).ConfigureAwait(false);
            // An attribute (executable, link, subrepository) that differs is a mode change; a link stays one on both sides.
            files.AddRange((stat.Values ?? []).Select(d => new ForgeFileChange(d.New?.Path ?? d.Old?.Path ?? "", d.Status ?? "",
                Mode(d.Old), Mode(d.New))));
            page = http.NextPage(stat.Next, number, $"GET /{repo}/diffstat/{tip.Sha}");
        }
        return new ForgeCommitChanges([.. (commit.Parents ?? []).Select(p => p.Hash ?? "")], files);
    }

    // commit_file's attributes: one of link, executable, subrepository, binary, lfs (a string; a list is read the same way).
    private static string? Mode(BitbucketDiffFile? file)
    {
        if (file is null) return null;
        var attributes = file.Attributes is not { } value ? []
            : value.ValueKind == JsonValueKind.String ? [value.GetString()]
            : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToList()
            : new List<string?>();
        return attributes.Contains("link") ? ForgeEntry.SymbolicLink
            : attributes.Contains("subrepository") ? "160000"
            : attributes.Contains("executable") ? "100755"
            : ForgeEntry.RegularFile;
    }

    public async Task<ForgeWrite?> WriteAsync(ForgeCommitSpec spec, Action<string> created, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        Field(form, "message", spec.Message);
        if (spec.Author is { } author)
            Field(form, "author", $"{author.Name} <{author.Email}>");
        Field(form, "branch", spec.Branch);
        // The guard: the branch must still be at this commit (409), or, created, starts at it.
        Field(form, "parents", spec.Parent.Sha);
        foreach (var file in spec.Files)
        {
            // A file field: its name the path, its bytes exactly as edited; an executable keeps its bit only if it says so.
            var part = new ByteArrayContent(file.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var disposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(file.Path), FileName = Quoted(file.Path[(file.Path.LastIndexOf('/') + 1)..]) };
            if (file.Mode == "100755")
                disposition.Parameters.Add(new NameValueHeaderValue("x-attributes", "\"executable\""));
            part.Headers.ContentDisposition = disposition;
            form.Add(part);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{repo}/src") { Content = form };
        using var response = await http.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
            return null;
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw ForgeFailure.From(http, response.StatusCode, response.Headers, text, ForgeHttp.Operation(request), spec.Branch);
        }
        // 201 with the new commit's URL (…/commit/{hash}), or, where a proxy dropped the header, nothing: neither says
        // where the branch is, so the writer reads it (and, without the URL, knows the commit by its message there).
        var sha = response.Headers.Location?.OriginalString is { } location && location.LastIndexOf("/commit/", StringComparison.Ordinal) is var at and >= 0
            ? location[(at + "/commit/".Length)..].TrimEnd('/')
            : null;
        if (sha is { Length: > 0 })
            created(sha);
        return new ForgeWrite(string.IsNullOrEmpty(sha) ? null : sha, AtTip: false);
    }

    public void Dispose() => http.Dispose();

    private static void Field(MultipartFormDataContent form, string name, string value)
    {
        var part = new StringContent(value);
        part.Headers.ContentType = null;
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name) };
        form.Add(part);
    }

    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static ForgeEntry Entry(BitbucketTreeEntry entry)
    {
        var mode = entry.Attributes?.Contains("link") == true ? ForgeEntry.SymbolicLink
            : entry.Attributes?.Contains("executable") == true ? "100755" : ForgeEntry.RegularFile;
        return new ForgeEntry(entry.Path!, entry.Size ?? 0, mode, entry.Path!);
    }

    // One directory's entries at the tip, every page; null when it is not a directory. A commit's listing never changes.
    private async Task<IReadOnlyList<BitbucketTreeEntry>?> LevelAsync(ForgeTip tip, string directory, CancellationToken cancellationToken)
    {
        if (listings.TryGetValue((tip.Sha, directory), out var known)) return known;
        var entries = new List<BitbucketTreeEntry>();
        // The root is listed with a trailing slash; a directory's path likewise.
        string? page = $"{repo}/src/{ForgeCalls.Segment(tip.Sha)}/{(directory.Length > 0 ? ForgeCalls.Segments(directory) + "/" : "")}";
        for (var number = 1; page is not null; number++)
        {
            var answer = await http.SendTolerantAsync(HttpMethod.Get, page, null, tip.Branch, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
            if (answer.Status == HttpStatusCode.NotFound || !answer.Body.TrimStart().StartsWith('{'))
                return listings[(tip.Sha, directory)] = null;
            var listing = http.ParseJson(answer.Body, $"GET /{repo}/src/{tip.Sha}/{directory}", BitbucketCommitJson.Default.BitbucketTreePage);
            if (listing.Values is null)
                return listings[(tip.Sha, directory)] = null; // a file's meta data, not a listing
            entries.AddRange(listing.Values.Where(e => e.Path is not null));
            // The next page is an absolute URL on the API's origin (ForgeHttp sends credentials nowhere else).
            page = http.NextPage(listing.Next, number, $"GET /{repo}/src/{tip.Sha}/{directory}", ForgeCalls.MaxTreePages);
        }
        return listings[(tip.Sha, directory)] = entries;
    }
}

// branch (its target commit), paginated_treeentries and its commit_file / commit_directory entries.

internal sealed record BitbucketTipCommit(string? Hash, string? Message);

internal sealed record BitbucketTipBranch(string? Name, BitbucketTipCommit? Target);

internal sealed record BitbucketTreeEntry(string? Type, string? Path, long? Size, IReadOnlyList<string>? Attributes);

internal sealed record BitbucketTreePage(IReadOnlyList<BitbucketTreeEntry>? Values, string? Next);

internal sealed record BitbucketParent(string? Hash);

internal sealed record BitbucketListedCommit(string? Hash, string? Message, DateTimeOffset? Date, IReadOnlyList<BitbucketParent>? Parents = null);

// diffstat: each file a commit changed, its status (added, removed, modified, renamed …) and each side's commit_file.
internal sealed record BitbucketDiffFile(string? Path, JsonElement? Attributes);

internal sealed record BitbucketDiffstat(string? Status, BitbucketDiffFile? Old, BitbucketDiffFile? New);

internal sealed record BitbucketDiffstatPage(IReadOnlyList<BitbucketDiffstat>? Values, string? Next);

internal sealed record BitbucketCommitPage(IReadOnlyList<BitbucketListedCommit>? Values, string? Next);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BitbucketTipBranch))]
[JsonSerializable(typeof(BitbucketTipCommit))]
[JsonSerializable(typeof(BitbucketTreePage))]
[JsonSerializable(typeof(BitbucketCommitPage))]
[JsonSerializable(typeof(BitbucketDiffstatPage))]
internal sealed partial class BitbucketCommitJson : JsonSerializerContext;
