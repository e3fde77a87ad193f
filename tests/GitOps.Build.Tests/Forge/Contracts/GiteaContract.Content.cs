using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// Gitea's branch, git trees, git blobs and multi-file contents operations over the repository's
/// <see cref="SimulatedGitStore"/>: what GitOpsCommitMethod=api reads and writes. As Gitea does, the write starts from
/// the branch's head when the request arrives and guards each file by its sha only: a push that changed another file
/// keeps it under the new commit, one that changed a file written is refused (422).
/// </summary>
public static partial class GiteaContract
{
    /// <summary>Every POST contents (ChangeFilesOptions) body, as sent.</summary>
    public static List<JsonObject> ChangeRequests(ContractServer server) =>
        [.. server.RequestsTo("repoChangeFiles").Select(r => r.Json!.AsObject())];

    private static JsonObject BranchJson(SimulatedGitStore git, string branch, string tip, string web)
    {
        var commit = git.Commit(tip)!;
        return new JsonObject
        {
            ["name"] = branch, ["protected"] = false,
            ["commit"] = new JsonObject { ["id"] = tip, ["message"] = commit.Message, ["url"] = $"{web}/commit/{tip}" },
        };
    }

    private static void HandleContent(ContractServer server, SimulatedGitStore git, string owner, string name)
    {
        var api = $"{server.ApiRoot}repos/{owner}/{name}";
        bool Mine(ContractRequest request) => request.PathValues["owner"] == owner && request.PathValues["repo"] == name;

        server.Handle("GetTree", request =>
        {
            var sha = request.PathValues["sha"];
            // A commit's id names its root tree.
            var tree = git.Commit(sha)?.Tree ?? sha;
            if (!Mine(request) || git.Tree(tree) is not { } entries) return ContractResponse.Error(404, "sha not found");
            var recursive = request.QueryValue("recursive") == "true";
            var size = int.Parse(request.QueryValue("per_page") ?? "1000");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            var all = (recursive ? git.Walk(tree) : entries.Select(e => (Path: e.Name, Entry: e))).ToList();
            var shown = all.Skip((page - 1) * size).Take(size).ToList();
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["sha"] = tree, ["url"] = $"{api}/git/trees/{tree}", ["page"] = page, ["total_count"] = all.Count,
                ["truncated"] = page * size < all.Count,
                ["tree"] = new JsonArray([.. shown.Select(e => new JsonObject
                {
                    ["path"] = e.Path, ["mode"] = e.Entry.Mode, ["type"] = e.Entry.IsTree ? "tree" : "blob", ["sha"] = e.Entry.Id,
                    ["size"] = e.Entry.IsTree ? 0 : git.Blob(e.Entry.Id)!.Length,
                    ["url"] = $"{api}/git/{(e.Entry.IsTree ? "trees" : "blobs")}/{e.Entry.Id}",
                })]),
            });
        });
        // A commit as the commit listing and the compare answer it.
        JsonObject CommitJson(string id)
        {
            var when = System.Globalization.CultureInfo.InvariantCulture;
            var commit = git.Commit(id)!;
            return new JsonObject
            {
                ["sha"] = id, ["url"] = $"{api}/git/commits/{id}", ["html_url"] = $"{api}/commit/{id}", ["created"] = git.Date(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", when),
                ["commit"] = new JsonObject
                {
                    ["message"] = commit.Message, ["url"] = $"{api}/git/commits/{id}",
                    ["committer"] = new JsonObject { ["name"] = "Gitea", ["email"] = "gitea@example.com", ["date"] = git.Date(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", when) },
                    ["tree"] = new JsonObject { ["sha"] = commit.Tree, ["url"] = $"{api}/git/trees/{commit.Tree}" },
                },
                ["parents"] = new JsonArray([.. commit.Parents.Select(p => (JsonNode)new JsonObject { ["sha"] = p, ["url"] = $"{api}/git/commits/{p}" })]),
            };
        }

        // A file's history from a commit (sha) or branch, a page at a time (limit): Gitea's git log of the path.
        server.Handle("repoGetAllCommits", request =>
        {
            var reference = request.QueryValue("sha") ?? "main";
            var from = git.Commit(reference) is not null ? reference : git.Tip(reference);
            if (!Mine(request) || from is null) return ContractResponse.Error(404, "commit not found");
            var history = request.QueryValue("path") is { } path ? git.History(from, path) : [from];
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. SimulatedGitStore.Page(history, request.QueryValue("page"), request.QueryValue("limit"), 50)
                .Select(id => (JsonNode)CommitJson(id).Also(commit =>
                {
                    // The files each commit changed unless asked not to (files defaults to true): Gitea's statuses, a mode change being "modified".
                    if (request.QueryValue("files") != "false")
                        commit["files"] = new JsonArray([.. git.Changes(id).Select(c => (JsonNode)new JsonObject
                        {
                            ["filename"] = c.Path, ["status"] = c.Old is null ? "added" : c.New is null ? "removed" : "modified",
                        })]);
                }))]));
        });
        // base...head: the head's commits the base lacks (from their merge base), as the deploy wait asks under GitOpsCommitMethod=api.
        server.Handle("repoCompareDiff", request =>
        {
            var ends = request.PathValues["basehead"].Split("...");
            if (!Mine(request) || ends.Length != 2 || git.Commit(ends[0]) is null || git.Commit(ends[1]) is null)
                return ContractResponse.Error(404, "commit not found");
            var missing = git.Missing(ends[0], ends[1]);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["total_commits"] = missing.Count,
                ["commits"] = new JsonArray([.. missing.Select(id => (JsonNode)CommitJson(id))]),
            });
        });
        server.Handle("GetBlob", request =>
            Mine(request) && git.Blob(request.PathValues["sha"]) is { } content
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject
                {
                    ["sha"] = request.PathValues["sha"], ["size"] = content.Length, ["encoding"] = "base64", ["content"] = Convert.ToBase64String(content),
                    ["url"] = $"{api}/git/blobs/{request.PathValues["sha"]}",
                })
                : ContractResponse.Error(404, "blob not found"));
        server.Handle("repoChangeFiles", request =>
        {
            if (!Mine(request)) return ContractResponse.Empty(HttpStatusCode.NotFound);
            var body = request.Json!.AsObject();
            var baseBranch = (string?)body["branch"] ?? "main";
            var target = (string?)body["new_branch"] is { Length: > 0 } created ? created : baseBranch;
            if ((bool?)body["force_push"] == true) return ContractResponse.Error(422, "this simulation takes no force_push");
            // Another pipeline's push lands as the request arrives; Gitea then works from the head it finds.
            git.BeforeRefUpdate?.Invoke(target);
            if (git.Tip(baseBranch) is not { } head) return ContractResponse.Error(404, $"branch does not exist [name: {baseBranch}]");
            if (target != baseBranch && git.Tip(target) is not null) return ContractResponse.Error(422, $"branch already exists [name: {target}]");
            var tree = git.Commit(head)!.Tree;
            var files = new List<(string, string, string)>();
            foreach (var file in body["files"]!.AsArray().Select(f => f!.AsObject()))
            {
                var path = (string)file["path"]!;
                if ((string?)file["operation"] != "update") return ContractResponse.Error(422, "this simulation takes only operation update");
                if (git.Find(tree, path) is not { IsTree: false } existing) return ContractResponse.Error(404, $"repository file does not exist [path: {path}]");
                if ((string?)file["sha"] != existing.Id)
                    return ContractResponse.Error(422, $"sha does not match [given: {(string?)file["sha"]}, expected: {existing.Id}]");
                byte[] content;
                try
                {
                    content = Convert.FromBase64String((string?)file["content"] ?? "");
                }
                catch (FormatException)
                {
                    return ContractResponse.Error(422, "content is not base64");
                }
                // An update keeps the file's mode.
                files.Add((path, existing.Mode, git.PutBlob(content)));
            }
            var author = body["author"] is JsonObject who ? $"{who["name"]} <{who["email"]}> 1700000000 +0000" : null;
            var commit = git.PutCommit(git.WriteTree(tree, files), [head], (string?)body["message"] ?? "Update files", author);
            git.UpdateBranch(target, commit);
            return ContractResponse.Json(HttpStatusCode.Created, new JsonObject
            {
                ["commit"] = new JsonObject
                {
                    ["sha"] = commit, ["url"] = $"{api}/git/commits/{commit}", ["message"] = (string?)body["message"] ?? "",
                    ["parents"] = new JsonArray(new JsonObject { ["sha"] = head, ["url"] = $"{api}/git/commits/{head}" }),
                    ["tree"] = new JsonObject { ["sha"] = git.Commit(commit)!.Tree, ["url"] = $"{api}/git/trees/{git.Commit(commit)!.Tree}" },
                },
                ["files"] = new JsonArray([.. files.Select(f => new JsonObject { ["path"] = f.Item1, ["sha"] = f.Item3, ["type"] = "file" })]),
            });
        });
    }
}
