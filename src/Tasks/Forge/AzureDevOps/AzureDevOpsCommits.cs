using System.Globalization;
using System.Net;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.AzureDevOps;

/// <summary>
/// GitOpsCommitMethod=api on Azure DevOps: reads through the refs, commits, items and blobs API, writes one push
/// (POST pushes) whose ref update carries the tip read as oldObjectId, so a branch that moved meanwhile refuses it (409)
/// and a new branch (oldObjectId 0…0) one that exists by then. Content goes base64 ("base64Encoded"): the bytes exactly
/// as edited. An edit keeps the file's mode (a push cannot set one). A single manifest costs six calls: the
/// repository (its id, once), the ref, the commit (its message), the item (a link is refused as on a clone), the blob,
/// the push.
/// </summary>
internal sealed class AzureDevOpsCommits(ForgeHttp http) : IForgeCommits
{
    private const string ApiVersion = AzureDevOpsRepository.ApiVersion;

    private const int HistoryPage = 100;

    private readonly AzureDevOpsRepository repository = new(http);

    public ForgeRepository Repository => http.Repository;

    public async Task<string> DefaultBranchAsync(CancellationToken cancellationToken)
    {
        var path = await repository.PathAsync(cancellationToken).ConfigureAwait(false);
        // An empty repository has no default branch yet.
        return AzureDevOpsRepository.Branch(repository.Resolved!.DefaultBranch) is { Length: > 0 } branch
            ? branch
            : throw new GitOpsException(Errors.ForgeNotFound, Repository.Kind, http.DisplayApi, "GET " + path, Repository.FullName, "(its default branch)");
    }

    public async Task<ForgeTip?> ReadTipAsync(string branch, CancellationToken cancellationToken)
    {
        if (await repository.TipOfAsync(branch, cancellationToken).ConfigureAwait(false) is not { } sha)
            return null;
        var path = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/commits/" + ForgeCalls.Segment(sha);
        var commit = await http.GetAsync(path + ForgeCalls.Query(("api-version", ApiVersion)), AzureDevOpsJson.Default.AzureCommit, branch, cancellationToken)
            .ConfigureAwait(false);
        return new ForgeTip(branch, sha, commit.Comment ?? "", commit.TreeId ?? "");
    }

    public async Task<ForgeFile?> ReadFileAsync(ForgeTip tip, string path, CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(tip, path, "none", cancellationToken).ConfigureAwait(false);
        if (items.FirstOrDefault() is not { IsFolder: not true, GitObjectType: "blob", ObjectId: { } id } item)
            return null; // nothing there, a folder or a submodule
        if (item.IsSymLink == true)
            throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path);
        var entry = new ForgeEntry(path, 0, null, id);
        var content = await ReadAsync(tip, entry, cancellationToken).ConfigureAwait(false);
        return new ForgeFile(entry with { Size = content.Length }, content);
    }

    public async Task<IReadOnlyList<ForgeEntry>> ListAsync(ForgeTip tip, string directory, CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(tip, directory, "full", cancellationToken).ConfigureAwait(false);
        // The scope itself comes first: a file named as a directory lists nothing.
        if (directory.Length > 0 && items.FirstOrDefault() is not { IsFolder: true })
            return [];
        var prefix = directory.Length == 0 ? "/" : "/" + directory + "/";
        return [.. items.Where(i => i is { IsFolder: not true, GitObjectType: "blob", ObjectId: not null, Path: not null } && i.Path!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(i => new ForgeEntry(i.Path![1..], 0, i.IsSymLink == true ? ForgeEntry.SymbolicLink : null, i.ObjectId!))];
    }

    public async Task<byte[]> ReadAsync(ForgeTip tip, ForgeEntry entry, CancellationToken cancellationToken) =>
        await http.GetBytesAsync(await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/blobs/" + ForgeCalls.Segment(entry.Id)
            + ForgeCalls.Query(("$format", "octetstream"), ("api-version", ApiVersion)), tip.Branch, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ForgeChange>> HistoryAsync(ForgeTip tip, string path, int limit, CancellationToken cancellationToken)
    {
        // commitsbatch: the item's history with historyMode firstParent (git log --first-parent), as a clone walks it.
        var route = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/commitsbatch";
        var changes = new List<ForgeChange>();
        // skip counts the entries read, not the commits kept: a page of entries without ids must not be read again.
        var read = 0;
        for (var page = 1; changes.Count < limit; page++)
        {
            http.CheckPage(page, "POST " + route, ForgeCalls.MaxTreePages);
            var query = new AzureCommitQuery("/" + path, new AzureVersion(tip.Sha, "commit"), "firstParent", HistoryPage, read);
            var document = await http.SendAsync(HttpMethod.Post, route + ForgeCalls.Query(("api-version", ApiVersion)), query,
                AzureDevOpsJson.Default.AzureCommitQuery, AzureDevOpsJson.Default.JsonElement, tip.Branch, cancellationToken).ConfigureAwait(false);
            var found = AzureDevOpsClient.ListOf(http, document, "POST " + route, AzureDevOpsJson.Default.ListAzureListedCommit);
            read += found.Count;
            // The listing cuts long comments (commentTruncated): MessageAsync reads those whole, only when they are looked at.
            changes.AddRange(found.Where(c => c.CommitId is { Length: > 0 })
                .Select(c => new ForgeChange(c.CommitId!, c.Committer?.Date ?? default, c.CommentTruncated == true ? null : c.Comment ?? "")));
            if (found.Count < HistoryPage) break;
        }
        return [.. changes.Take(limit)];
    }

    public async Task<string> MessageAsync(ForgeTip tip, string sha, CancellationToken cancellationToken)
    {
        var path = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/commits/" + ForgeCalls.Segment(sha);
        var commit = await http.GetAsync(path + ForgeCalls.Query(("api-version", ApiVersion)), AzureDevOpsJson.Default.AzureCommit, tip.Branch, cancellationToken)
            .ConfigureAwait(false);
        return commit.Comment ?? "";
    }

    public async Task<bool?> IsAncestorAsync(string ancestor, string descendant, string branch, CancellationToken cancellationToken)
    {
        // Azure DevOps' merge bases of the two commits: the ancestor itself when it is one; 404 a commit it does not know.
        var route = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/commits/" + ForgeCalls.Segment(descendant) + "/mergebases";
        var answer = await http.SendTolerantAsync(HttpMethod.Get, route + ForgeCalls.Query(("otherCommitId", ancestor), ("api-version", ApiVersion)), null, branch,
            cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return null;
        var document = http.ParseJson(answer.Body, "GET " + route, AzureDevOpsJson.Default.JsonElement);
        return AzureDevOpsClient.ListOf(http, document, "GET " + route, AzureDevOpsJson.Default.ListAzureCommit)
            .Any(c => string.Equals(c.CommitId, ancestor, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Changes one commit's read lists at most: far beyond a deploy commit's (its change type "edit" alone is a content change).</summary>
    private const int ChangeCount = 1000;

    public async Task<ForgeCommitChanges> ChangesAsync(ForgeTip tip, CancellationToken cancellationToken)
    {
        var path = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/commits/" + ForgeCalls.Segment(tip.Sha);
        var commit = await http.GetAsync(path + ForgeCalls.Query(("changeCount", ChangeCount.ToString(CultureInfo.InvariantCulture)), ("api-version", ApiVersion)),
            AzureDevOpsJson.Default.AzureCommit, tip.Branch, cancellationToken).ConfigureAwait(false);
        var changes = commit.Changes ?? [];
        if (changes.Count >= ChangeCount)
            throw new GitOpsException(Errors.ApiAnswerUnusable, Repository.Kind, http.DisplayApi, "GET " + path, $"{ChangeCount} changes or more: not a deploy commit");
        // Folders are listed too (the ones holding a changed file): only files count.
        return new ForgeCommitChanges(commit.Parents ?? [],
            [.. changes.Where(c => c.Item is { IsFolder: not true, GitObjectType: not "tree" })
                .Select(c => new ForgeFileChange((c.Item!.Path ?? "").TrimStart('/'), c.ChangeType == "edit" ? ForgeFileChange.Modified : c.ChangeType ?? ""))]);
    }

    public async Task<ForgeWrite?> WriteAsync(ForgeCommitSpec spec, Action<string> created, CancellationToken cancellationToken)
    {
        var who = spec.Author is { } author
            ? new AzureUserDate(author.Name, author.Email, author.When.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            : null;
        var changes = spec.Files.Select(file => new AzureChange("edit", new AzureItemPath("/" + file.Path),
            new AzureNewContent(Convert.ToBase64String(file.Content), "base64Encoded"))).ToList();
        var push = new AzurePush([new AzurePushRefUpdate(AzureDevOpsRepository.Ref(spec.Branch), spec.CreateBranch ? AzureDevOpsRepository.ZeroId : spec.Parent.Sha)],
            [new AzurePushCommit(spec.Message, [spec.Parent.Sha], changes, who, who)]);
        var path = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/pushes";
        var answer = await http.SendTolerantAsync(HttpMethod.Post, path + ForgeCalls.Query(("api-version", ApiVersion)),
            ForgeCalls.Json(push, AzureDevOpsJson.Default.AzurePush), spec.Branch, cancellationToken, HttpStatusCode.Conflict, HttpStatusCode.BadRequest)
            .ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            var pushed = http.ParseJson(answer.Body, "POST " + path, AzureDevOpsJson.Default.AzurePushed);
            var sha = pushed.Commits is [{ CommitId: { Length: > 0 } id }] ? id
                : throw new GitOpsException(Errors.ForgeRequestFailed, Repository.Kind, http.DisplayApi, "POST " + path, "no commit in the answer");
            created(sha);
            // refUpdates (optional in the description): the branch as the push left it; naming another commit is a dropped update.
            if (pushed.RefUpdates?.FirstOrDefault(u => u.Name == AzureDevOpsRepository.Ref(spec.Branch)) is not { } update)
                return new ForgeWrite(sha, AtTip: false);
            return string.Equals(update.NewObjectId, sha, StringComparison.OrdinalIgnoreCase)
                ? new ForgeWrite(sha, AtTip: true)
                : throw new GitOpsException(Errors.ApiCommitNotApplied, Repository.Kind, http.DisplayApi, spec.Branch, Messages.ShortSha(sha),
                    $"its answer's refUpdates put the branch at {(update.NewObjectId is { Length: > 0 } other ? Messages.ShortSha(other) : "no commit")}");
        }
        // 409 (TF401028, a stale oldObjectId) or 400: a lost race only when the branch is no longer where it was read.
        var now = await repository.TipOfAsync(spec.Branch, cancellationToken).ConfigureAwait(false);
        if (spec.CreateBranch ? now is not null : now != spec.Parent.Sha)
            return null;
        throw new GitOpsException(Errors.ForgeValidationFailed, Repository.Kind, http.DisplayApi, "POST " + path, (int)answer.Status, answer.Message);
    }

    public void Dispose() => http.Dispose();

    // GET items at the tip: recursionLevel none (the item itself) or full (everything under it); empty when the path is not there.
    private async Task<List<AzureItem>> ItemsAsync(ForgeTip tip, string path, string recursionLevel, CancellationToken cancellationToken)
    {
        var query = ForgeCalls.Query(("scopePath", "/" + path), ("recursionLevel", recursionLevel), ("versionDescriptor.version", tip.Sha),
            ("versionDescriptor.versionType", "commit"), ("api-version", ApiVersion));
        var route = await repository.PathAsync(cancellationToken).ConfigureAwait(false) + "/items";
        var answer = await http.SendTolerantAsync(HttpMethod.Get, route + query, null, tip.Branch, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound) return [];
        return AzureDevOpsClient.ListOf(http, http.ParseJson(answer.Body, "GET " + route, AzureDevOpsJson.Default.JsonElement), "GET " + route, AzureDevOpsJson.Default.ListAzureItem);
    }
}
