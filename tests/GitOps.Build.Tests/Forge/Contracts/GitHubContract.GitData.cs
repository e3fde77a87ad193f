using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// GitHub's content and Git Data operations (branches, contents, trees, blobs, commits, refs) over a
/// <see cref="SimulatedGitStore"/>: what GitOpsCommitMethod=api reads and writes. Answers are the description's schemas
/// (branch-with-protection, content-file, git-tree, blob, short-blob, git-commit, git-ref) and are checked against them.
/// </summary>
public sealed partial class GitHubContract
{
    /// <summary>The repository's content. Empty (no branch): the pull-request tests' simulated branches answer instead.</summary>
    public SimulatedGitStore Git { get; } = new();

    /// <summary>Every POST git/commits body, as sent.</summary>
    public List<JsonObject> CommitRequests { get; } = [];

    private void HandleGitData()
    {
        Server.Handle("repos/get-content", Repo(GetContent));
        Server.Handle("git/get-tree", Repo(GetTree));
        Server.Handle("repos/list-commits", Repo(ListCommits));
        Server.Handle("repos/compare-commits-with-basehead", Repo(Compare));
        Server.Handle("repos/get-commit", Repo(GetCommit));
        Server.Handle("git/get-blob", Repo(GetBlob));
        Server.Handle("git/create-blob", Repo(CreateBlob));
        Server.Handle("git/create-tree", Repo(CreateTree));
        Server.Handle("git/create-commit", Repo(CreateCommit));
        Server.Handle("git/update-ref", Repo(UpdateRef));
        Server.Handle("git/create-ref", Repo(CreateRef));
    }

    private string Api(string path) => $"{Server.ApiRoot}repos/{Owner}/{Repository}/{path}";

    private JsonObject BranchJson(string name, string tip)
    {
        var commit = Git.Commit(tip)!;
        return Shaped("branch-with-protection", new JsonObject
        {
            ["name"] = name,
            ["commit"] = new JsonObject
            {
                ["sha"] = tip,
                ["node_id"] = "C_" + tip[..12],
                ["url"] = Api("commits/" + tip),
                ["html_url"] = $"https://github.example/{Owner}/{Repository}/commit/{tip}",
                ["comments_url"] = Api($"commits/{tip}/comments"),
                ["commit"] = new JsonObject
                {
                    ["url"] = Api("git/commits/" + tip),
                    ["author"] = null,
                    ["committer"] = null,
                    ["message"] = commit.Message,
                    ["tree"] = new JsonObject { ["sha"] = commit.Tree, ["url"] = Api("git/trees/" + commit.Tree) },
                    ["comment_count"] = 0,
                },
                ["parents"] = new JsonArray([.. commit.Parents.Select(p => (JsonNode)new JsonObject { ["sha"] = p, ["url"] = Api("commits/" + p) })]),
            },
            ["_links"] = new JsonObject { ["self"] = Api("branches/" + name), ["html"] = $"https://github.example/{Owner}/{Repository}/tree/{name}" },
            ["protected"] = false,
            ["protection_url"] = Api($"branches/{name}/protection"),
        });
    }

    private ContractResponse GetContent(ContractRequest request)
    {
        var path = request.PathValues["path"];
        var reference = request.QueryValue("ref") ?? "main";
        var commit = Git.Commit(reference) ?? (Git.Tip(reference) is { } tip ? Git.Commit(tip) : null);
        if (commit is null) return ContractResponse.Error(404, $"No commit found for the ref {reference}");
        if (Git.Find(commit.Tree, path) is not { } entry) return ContractResponse.Error(404, "Not Found");
        if (entry.IsTree)
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. Git.Tree(entry.Id)!.Select(e => (JsonNode)ContentJson(path + "/" + e.Name, e, withContent: false))]));
        return ContractResponse.Json(HttpStatusCode.OK, ContentJson(path, entry, withContent: true));
    }

    private JsonObject ContentJson(string path, SimulatedGitStore.TreeEntry entry, bool withContent)
    {
        var type = entry.IsTree ? "dir" : entry.Mode == SimulatedGitStore.Link ? "symlink" : "file";
        var content = entry.IsTree ? null : Git.Blob(entry.Id)!;
        var json = new JsonObject
        {
            ["type"] = type,
            ["size"] = content?.Length ?? 0,
            ["name"] = path[(path.LastIndexOf('/') + 1)..],
            ["path"] = path,
            ["sha"] = entry.Id,
            ["url"] = Api("contents/" + path),
            ["git_url"] = Api((entry.IsTree ? "git/trees/" : "git/blobs/") + entry.Id),
            ["html_url"] = $"https://github.example/{Owner}/{Repository}/blob/main/{path}",
            ["download_url"] = null,
            ["_links"] = new JsonObject { ["self"] = Api("contents/" + path), ["git"] = Api("git/blobs/" + entry.Id), ["html"] = null },
        };
        if (withContent && type == "file")
        {
            json["encoding"] = "base64";
            json["content"] = Wrapped(content!);
        }
        if (withContent && type == "symlink")
            json["target"] = Encoding.UTF8.GetString(content!);
        return json;
    }

    // GitHub wraps base64 content at 60 characters.
    private static string Wrapped(byte[] content) =>
        string.Join("\n", Convert.ToBase64String(content).Chunk(60).Select(c => new string(c))) + "\n";

    // A file's history from a commit or branch, a page at a time: GitHub's git log of the path.
    private ContractResponse ListCommits(ContractRequest request)
    {
        var reference = request.QueryValue("sha") ?? "main";
        var from = Git.Commit(reference) is not null ? reference : Git.Tip(reference);
        if (from is null) return ContractResponse.Error(404, "Not Found");
        var history = request.QueryValue("path") is { } path ? Git.History(from, path) : [from];
        return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. SimulatedGitStore.Page(history, request.QueryValue("page"), request.QueryValue("per_page"), 30)
            .Select(id => (JsonNode)CommitJson(id))]));
    }

    // One commit (a branch or an id): its parents, and its files against the first parent a page at a time (status
    // "changed" for a mode or type change, as GitHub reports git's T and mode-only changes).
    private ContractResponse GetCommit(ContractRequest request)
    {
        var reference = request.PathValues["ref"];
        var id = Git.Commit(reference) is not null ? reference : Git.Tip(reference);
        if (id is null) return ContractResponse.Error(422, "No commit found for SHA: " + reference);
        var files = SimulatedGitStore.Page(Git.Changes(id), request.QueryValue("page"), request.QueryValue("per_page"), 300).Select(c => (JsonNode)Shaped("diff-entry", new JsonObject
        {
            ["sha"] = c.New?.Id ?? c.Old!.Id, ["filename"] = c.Path,
            ["status"] = c.Old is null ? "added" : c.New is null ? "removed" : c.Old.Mode != c.New.Mode ? "changed" : "modified",
            ["contents_url"] = Api("contents/" + c.Path + "?ref=" + id),
        }));
        var commit = CommitJson(id);
        commit["files"] = new JsonArray([.. files]);
        return ContractResponse.Json(HttpStatusCode.OK, commit);
    }

    /// <summary>A commit as the commit listing, the single-commit read and the compare answer it (the description's commit schema).</summary>
    private JsonObject CommitJson(string id)
    {
        var commit = Git.Commit(id)!;
        var date = Git.Date(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Shaped("commit", new JsonObject
        {
            ["sha"] = id, ["node_id"] = "C_" + id[..12], ["url"] = Api("commits/" + id),
            ["html_url"] = $"https://github.example/{Owner}/{Repository}/commit/{id}", ["comments_url"] = Api($"commits/{id}/comments"),
            ["commit"] = new JsonObject
            {
                ["url"] = Api("git/commits/" + id),
                ["author"] = new JsonObject { ["name"] = "GitHub", ["email"] = "noreply@github.com", ["date"] = date },
                ["committer"] = new JsonObject { ["name"] = "GitHub", ["email"] = "noreply@github.com", ["date"] = date },
                ["message"] = commit.Message,
                ["tree"] = new JsonObject { ["sha"] = commit.Tree, ["url"] = Api("git/trees/" + commit.Tree) },
                ["comment_count"] = 0,
            },
            // No GitHub account behind the author or committer: empty-object, as the description's alternative says.
            ["author"] = new JsonObject(),
            ["committer"] = new JsonObject(),
            ["parents"] = new JsonArray([.. commit.Parents.Select(p => (JsonNode)new JsonObject { ["sha"] = p, ["url"] = Api("commits/" + p) })]),
        });
    }

    /// <summary>
    /// GET compare/{base}...{head}: how the head stands to the base (identical, ahead, behind, diverged), with the head's
    /// commits the base lacks, per_page of them (what the deploy wait asks under GitOpsCommitMethod=api).
    /// </summary>
    private ContractResponse Compare(ContractRequest request)
    {
        var ends = request.PathValues["basehead"].Split("...");
        if (ends.Length != 2 || Git.Commit(ends[0]) is null || Git.Commit(ends[1]) is null)
            return NotFound();
        var (head, @base) = (ends[1], ends[0]);
        var ahead = Git.Missing(@base, head);
        var behind = Git.Missing(head, @base);
        var status = (ahead.Count, behind.Count) switch { (0, 0) => "identical", (_, 0) => "ahead", (0, _) => "behind", _ => "diverged" };
        var listed = SimulatedGitStore.Page(ahead, request.QueryValue("page"), request.QueryValue("per_page"), 250);
        var mergeBase = Git.MergeBase(@base, head) ?? @base;
        return ContractResponse.Json(HttpStatusCode.OK, Shaped("commit-comparison", new JsonObject
        {
            ["url"] = Api($"compare/{@base}...{head}"),
            ["html_url"] = $"https://github.example/{Owner}/{Repository}/compare/{@base}...{head}",
            ["permalink_url"] = $"https://github.example/{Owner}/{Repository}/compare/{Owner}:{@base[..7]}...{Owner}:{head[..7]}",
            ["diff_url"] = $"https://github.example/{Owner}/{Repository}/compare/{@base}...{head}.diff",
            ["patch_url"] = $"https://github.example/{Owner}/{Repository}/compare/{@base}...{head}.patch",
            ["base_commit"] = CommitJson(@base),
            ["merge_base_commit"] = CommitJson(mergeBase),
            ["status"] = status,
            ["ahead_by"] = ahead.Count,
            ["behind_by"] = behind.Count,
            ["total_commits"] = ahead.Count,
            ["commits"] = new JsonArray([.. listed.Select(id => (JsonNode)CommitJson(id))]),
        }));
    }

    private ContractResponse GetTree(ContractRequest request)
    {
        var sha = request.PathValues["tree_sha"];
        if (Git.Tree(sha) is not { } entries) return ContractResponse.Error(404, "Not Found");
        var recursive = request.QueryValue("recursive") is { Length: > 0 };
        var listed = recursive ? Git.Walk(sha) : entries.Select(e => (Path: e.Name, Entry: e));
        return ContractResponse.Json(HttpStatusCode.OK, Shaped("git-tree", new JsonObject
        {
            ["sha"] = sha,
            ["url"] = Api("git/trees/" + sha),
            ["truncated"] = false,
            ["tree"] = new JsonArray([.. listed.Select(e =>
            {
                var item = new JsonObject
                {
                    ["path"] = e.Path, ["mode"] = e.Entry.Mode, ["type"] = e.Entry.IsTree ? "tree" : "blob", ["sha"] = e.Entry.Id,
                    ["url"] = Api((e.Entry.IsTree ? "git/trees/" : "git/blobs/") + e.Entry.Id),
                };
                if (!e.Entry.IsTree) item["size"] = Git.Blob(e.Entry.Id)!.Length;
                return (JsonNode)item;
            })]),
        }));
    }

    private ContractResponse GetBlob(ContractRequest request)
    {
        var sha = request.PathValues["file_sha"];
        if (Git.Blob(sha) is not { } content) return ContractResponse.Error(404, "Not Found");
        return ContractResponse.Json(HttpStatusCode.OK, Shaped("blob", new JsonObject
        {
            ["content"] = Wrapped(content), ["encoding"] = "base64", ["url"] = Api("git/blobs/" + sha), ["sha"] = sha,
            ["size"] = content.Length, ["node_id"] = "B_" + sha[..12],
        }));
    }

    private ContractResponse CreateBlob(ContractRequest request)
    {
        var body = request.Json!.AsObject();
        var text = (string)body["content"]!;
        var encoding = (string?)body["encoding"] ?? "utf-8";
        byte[] content;
        try
        {
            content = encoding switch
            {
                "base64" => Convert.FromBase64String(text),
                "utf-8" => Encoding.UTF8.GetBytes(text),
                _ => throw new FormatException($"encoding {encoding}"),
            };
        }
        catch (FormatException e)
        {
            return Validation("Blob", "content", e.Message);
        }
        var sha = Git.PutBlob(content);
        return ContractResponse.Json(HttpStatusCode.Created, Shaped("short-blob", new JsonObject { ["url"] = Api("git/blobs/" + sha), ["sha"] = sha }));
    }

    private ContractResponse CreateTree(ContractRequest request)
    {
        var body = request.Json!.AsObject();
        var baseTree = (string?)body["base_tree"];
        if (baseTree is not null && Git.Tree(baseTree) is null)
            return Validation("Tree", "base_tree", "invalid");
        var files = new List<(string, string, string)>();
        foreach (var item in body["tree"]!.AsArray().Select(i => i!.AsObject()))
        {
            var path = (string?)item["path"];
            var mode = (string?)item["mode"];
            if (string.IsNullOrEmpty(path) || path.StartsWith('/') || mode is null || (string?)item["type"] != "blob")
                return Validation("Tree", "tree", "a blob entry needs its path, mode and type");
            var sha = (string?)item["sha"] ?? (item["content"] is { } content ? Git.PutBlob(Encoding.UTF8.GetBytes((string)content!)) : null);
            if (sha is null || Git.Blob(sha) is null)
                return Validation("Tree", "tree.sha", "missing");
            files.Add((path, mode, sha));
        }
        var tree = Git.WriteTree(baseTree, files);
        return ContractResponse.Json(HttpStatusCode.Created, Shaped("git-tree", new JsonObject
        {
            ["sha"] = tree, ["url"] = Api("git/trees/" + tree), ["truncated"] = false,
            ["tree"] = new JsonArray([.. Git.Tree(tree)!.Select(e => (JsonNode)new JsonObject
            {
                ["path"] = e.Name, ["mode"] = e.Mode, ["type"] = e.IsTree ? "tree" : "blob", ["sha"] = e.Id,
            })]),
        }));
    }

    private ContractResponse CreateCommit(ContractRequest request)
    {
        var body = request.Json!.AsObject();
        lock (CommitRequests) CommitRequests.Add((JsonObject)body.DeepClone());
        var tree = (string)body["tree"]!;
        var parents = body["parents"]?.AsArray().Select(p => (string)p!).ToList() ?? [];
        if (Git.Tree(tree) is null || parents.Any(p => Git.Commit(p) is null))
            return Validation("Commit", "tree", "invalid");
        var author = body["author"] is JsonObject a ? $"{a["name"]} <{a["email"]}> 1700000000 +0000" : null;
        var sha = Git.PutCommit(tree, parents, (string)body["message"]!, author, (string?)body["signature"]);
        var who = new JsonObject { ["name"] = (string?)body["author"]?["name"] ?? "GitHub", ["email"] = (string?)body["author"]?["email"] ?? "noreply@github.com",
            ["date"] = SchemaSample.Iso(DateTimeOffset.UtcNow) };
        return ContractResponse.Json(HttpStatusCode.Created, Shaped("git-commit", new JsonObject
        {
            ["sha"] = sha, ["node_id"] = "C_" + sha[..12], ["url"] = Api("git/commits/" + sha),
            ["html_url"] = $"https://github.example/{Owner}/{Repository}/commit/{sha}",
            ["author"] = who, ["committer"] = who.DeepClone(), ["message"] = (string)body["message"]!,
            ["tree"] = new JsonObject { ["sha"] = tree, ["url"] = Api("git/trees/" + tree) },
            ["parents"] = new JsonArray([.. parents.Select(p => (JsonNode)new JsonObject
            {
                ["sha"] = p, ["url"] = Api("git/commits/" + p), ["html_url"] = $"https://github.example/{Owner}/{Repository}/commit/{p}",
            })]),
            // Unsigned and author-less from an App: GitHub signs it itself.
            ["verification"] = new JsonObject { ["verified"] = author is null && Signed(request), ["reason"] = author is null && Signed(request) ? "valid" : "unsigned",
                ["signature"] = null, ["payload"] = null, ["verified_at"] = null },
        }));
    }

    private static bool Signed(ContractRequest request) => request.Authorization == "Bearer " + InstallationToken;

    private ContractResponse UpdateRef(ContractRequest request)
    {
        var reference = request.PathValues["ref"];
        var body = request.Json!.AsObject();
        if (!reference.StartsWith("heads/", StringComparison.Ordinal) || (bool?)body["force"] == true)
            return Validation("Reference", "force", "this simulation takes only branch updates without force");
        var branch = reference["heads/".Length..];
        var sha = (string)body["sha"]!;
        if (Git.Commit(sha) is null) return Validation("Reference", "sha", "Object does not exist");
        var before = Git.Tip(branch);
        if (before is null) return Unprocessable("Reference does not exist");
        if (!Git.TryMoveBranch(branch, before, sha))
            return Unprocessable("Update is not a fast forward");
        // The ref as it now is: a forge that dropped the update (Git.DropsRefUpdates) answers the old tip.
        return ContractResponse.Json(HttpStatusCode.OK, RefJson(branch, Git.DropsRefUpdates ? before : sha));
    }

    private ContractResponse CreateRef(ContractRequest request)
    {
        var body = request.Json!.AsObject();
        var reference = (string)body["ref"]!;
        var sha = (string)body["sha"]!;
        if (!reference.StartsWith("refs/heads/", StringComparison.Ordinal) || Git.Commit(sha) is null)
            return Validation("Reference", "ref", "invalid");
        var branch = reference["refs/heads/".Length..];
        if (!Git.TryMoveBranch(branch, null, sha))
            return Unprocessable("Reference already exists");
        return ContractResponse.Json(HttpStatusCode.Created, RefJson(branch, sha));
    }

    private JsonObject RefJson(string branch, string sha) => Shaped("git-ref", new JsonObject
    {
        ["ref"] = "refs/heads/" + branch, ["node_id"] = "REF_" + sha[..8], ["url"] = Api("git/refs/heads/" + branch),
        ["object"] = new JsonObject { ["type"] = "commit", ["sha"] = sha, ["url"] = Api("git/commits/" + sha) },
    });
}
