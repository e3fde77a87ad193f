using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// GitLab's repository operations (a branch with its commit, the tree, raw blobs, a commit with actions) over a
/// <see cref="SimulatedGitStore"/>: what GitOpsCommitMethod=api reads and writes. The commit follows Files::MultiService:
/// the branch's current tip is the base (start_sha only for a branch that does not exist), and an update whose
/// last_commit_id names a commit after which the file changed on the branch is refused with 400, as is a start_sha for
/// a branch that exists.
/// </summary>
public static partial class GitLabContract
{
    /// <summary>Who GitLab names as author when the request names none: the token's user.</summary>
    public const string TokenUser = "Config Bot <config-bot@gitlab.example.com> 1700000000 +0000";

    private static void HandleRepository(ContractServer server, SimulatedRepository repository, SimulatedGitStore git, string projectPath)
    {
        var web = "https://gitlab.example.com/" + projectPath;
        bool Mine(ContractRequest request) => request.PathValues["id"] == projectPath;
        ContractResponse NotFound(string what) => ContractResponse.Error(404, $"404 {what} Not Found");

        JsonObject Commit(string id)
        {
            var commit = git.Commit(id)!;
            var (name, email) = Person(commit.Author ?? TokenUser);
            return new JsonObject
            {
                ["id"] = id, ["short_id"] = id[..8], ["created_at"] = "2026-12-06T06:00:00Z",
                ["parent_ids"] = new JsonArray([.. commit.Parents.Select(p => JsonValue.Create(p))]),
                ["title"] = commit.Message.Split('\n')[0], ["message"] = commit.Message,
                ["author_name"] = name, ["author_email"] = email, ["committer_name"] = name, ["committer_email"] = email,
                ["web_url"] = $"{web}/-/commit/{id}",
            };
        }

        server.Handle("getApiV4ProjectsIdRepositoryBranchesBranch", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var branch = request.PathValues["branch"];
            if (git.Tip(branch) is not { } tip) return repository.Branches.Contains(branch)
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["name"] = branch, ["default"] = branch == "main" })
                : NotFound("Branch");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["name"] = branch, ["default"] = branch == "main", ["protected"] = false, ["web_url"] = $"{web}/-/tree/{branch}", ["commit"] = Commit(tip),
            });
        });

        server.Handle("getApiV4ProjectsIdRepositoryTree", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var reference = request.QueryValue("ref") ?? "main";
            var commit = git.Commit(reference) ?? (git.Tip(reference) is { } tip ? git.Commit(tip) : null);
            if (commit is null) return NotFound("Tree");
            var path = request.QueryValue("path") ?? "";
            var tree = path.Length == 0 ? commit.Tree : git.Find(commit.Tree, path) is { IsTree: true } found ? found.Id : null;
            if (tree is null) return NotFound("Tree");
            var prefix = path.Length == 0 ? "" : path + "/";
            var listed = request.QueryValue("recursive") == "true"
                ? git.Walk(tree, prefix)
                : git.Tree(tree)!.Select(e => (Path: prefix + e.Name, Entry: e));
            var size = int.Parse(request.QueryValue("per_page") ?? "20");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. listed.Skip((page - 1) * size).Take(size).Select(e => new JsonObject
            {
                ["id"] = e.Entry.Id, ["name"] = e.Entry.Name, ["type"] = e.Entry.IsTree ? "tree" : "blob", ["path"] = e.Path, ["mode"] = e.Entry.Mode,
            })]));
        });

        // A file's history from a commit or branch: first_parent, as GitOps.Build asks (the simulation keeps linear histories).
        server.Handle("getApiV4ProjectsIdRepositoryCommits", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var reference = request.QueryValue("ref_name") ?? "main";
            var from = git.Commit(reference) is not null ? reference : git.Tip(reference);
            if (from is null) return NotFound("Commit");
            var history = request.QueryValue("path") is { } path ? git.History(from, path) : [from];
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. SimulatedGitStore.Page(history, request.QueryValue("page"), request.QueryValue("per_page"), 20)
                .Select(id => Commit(id).Also(c => c["created_at"] = git.Date(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)))]));
        });

        // The merge base of refs (comma-separated, as GitLab's API coerces them): 400 a ref it cannot find, 404 no merge base.
        server.Handle("getApiV4ProjectsIdRepositoryMergeBase", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var refs = (request.QueryValue("refs") ?? "").Split(',');
            if (refs.Length < 2) return ContractResponse.Error(400, "Provide at least 2 refs");
            var resolved = refs.Select(r => git.Commit(r) is not null ? r : git.Tip(r)).ToList();
            if (resolved.IndexOf(null) is var unknown and >= 0) return ContractResponse.Error(400, $"Could not find ref: {refs[unknown]}");
            return git.MergeBase(resolved[0]!, resolved[1]!) is { } found ? ContractResponse.Json(HttpStatusCode.OK, Commit(found)) : NotFound("Merge Base");
        });

        // A commit's diff against its first parent, a page at a time: each file's paths, modes (git's, as text) and what happened to it.
        server.Handle("getApiV4ProjectsIdRepositoryCommitsShaDiff", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var reference = request.PathValues["sha"];
            var id = git.Commit(reference) is not null ? reference : git.Tip(reference);
            if (id is null) return NotFound("Commit");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. SimulatedGitStore.Page(git.Changes(id), request.QueryValue("page"), request.QueryValue("per_page"), 20)
                .Select(c => (JsonNode)new JsonObject
                {
                    ["diff"] = "", ["collapsed"] = false, ["too_large"] = false,
                    ["old_path"] = c.Path, ["new_path"] = c.Path,
                    ["a_mode"] = c.Old is null ? "0" : c.Old.Mode, ["b_mode"] = c.New is null ? "0" : c.New.Mode,
                    ["new_file"] = c.Old is null, ["renamed_file"] = false, ["deleted_file"] = c.New is null, ["generated_file"] = false,
                })]));
        });

        server.Handle("getApiV4ProjectsIdRepositoryBlobsShaRaw", request =>
            !Mine(request) ? NotFound("Project")
            : git.Blob(request.PathValues["sha"]) is { } content ? ContractResponse.Bytes(content, "text/plain; charset=utf-8") : NotFound("Blob"));

        server.Handle("postApiV4ProjectsIdRepositoryCommits", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var body = request.Json!.AsObject();
            var branch = (string)body["branch"]!;
            var startSha = (string?)body["start_sha"];
            // Another pipeline's push may land here, between the client's read and GitLab's checks.
            git.BeforeRefUpdate?.Invoke(branch);
            var tip = git.Tip(branch);
            if (startSha is not null && tip is not null)
                return ContractResponse.Error(400, $"A branch called '{branch}' already exists. Switch to that branch in order to make changes");
            var baseCommit = startSha ?? tip;
            if (baseCommit is null || git.Commit(baseCommit) is not { } parent)
                return ContractResponse.Error(400, "You can only create or edit files when you are on a branch");
            var files = new List<(string, string, string)>();
            foreach (var action in body["actions"]!.AsArray().Select(a => a!.AsObject()))
            {
                var path = (string)action["file_path"]!;
                if ((string)action["action"]! != "update")
                    return ContractResponse.Error(400, "this simulation takes only update actions");
                if (git.Find(parent.Tree, path) is not { IsTree: false } existing)
                    return ContractResponse.Error(400, "A file with this name doesn't exist");
                if ((string?)action["last_commit_id"] is { } known && git.Commit(known) is not null && LastCommitFor(git, baseCommit, path) != LastCommitFor(git, known, path))
                    return ContractResponse.Error(400, $"The file has changed since you started editing it: {path}");
                var text = (string?)action["content"] ?? "";
                var content = (string?)action["encoding"] == "base64" ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
                files.Add((path, existing.Mode, git.PutBlob(content)));
            }
            var author = body["author_name"] is { } name ? $"{name} <{body["author_email"]}> 1700000000 +0000" : TokenUser;
            var sha = git.PutCommit(git.WriteTree(parent.Tree, files), [baseCommit], (string)body["commit_message"]!, author);
            git.UpdateBranch(branch, sha);
            repository.Branches.Add(branch);
            return ContractResponse.Json(HttpStatusCode.OK, Commit(sha).Also(c =>
            {
                c["authored_date"] = "2026-12-06T06:00:00Z";
                c["committed_date"] = "2026-12-06T06:00:00Z";
                c["project_id"] = 7;
                c["status"] = null;
            }));
        });
    }

    // The commit that last changed the path, along first parents (Gitlab::Git::Commit.last_for_path).
    private static string? LastCommitFor(SimulatedGitStore git, string commit, string path)
    {
        string? Blob(string id) => git.Find(git.Commit(id)!.Tree, path)?.Id;
        var current = commit;
        var blob = Blob(current);
        while (git.Commit(current)!.Parents is [var parent, ..] && Blob(parent) == blob)
            current = parent;
        return blob is null ? null : current;
    }

    private static (string Name, string Email) Person(string signature)
    {
        var open = signature.IndexOf('<');
        return (signature[..open].Trim(), signature[(open + 1)..signature.IndexOf('>')]);
    }
}
