using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// Bitbucket's src operations over the repository's <see cref="SimulatedGitStore"/>: a directory's listing or a file's
/// raw bytes at a commit, and the form POST that commits files. As the description of POST src says: with a branch and
/// parents, the branch must still be at the parent (else 409); a branch that does not exist yet starts at the parent;
/// a file field's x-attributes says executable or link, and without it the file is a regular one.
/// </summary>
public static partial class BitbucketContract
{
    private static readonly string[] Meta = ["message", "author", "parents", "files", "branch"];

    // commit_file's attributes: a link, an executable; a regular file has none.
    private static string[] Attributes(string mode) => mode switch
    {
        SimulatedGitStore.Link => ["link"],
        SimulatedGitStore.Executable => ["executable"],
        _ => [],
    };

    private static void HandleSource(ContractServer server, SimulatedGitStore git, string workspace, string slug)
    {
        var api = $"{server.ApiRoot}repositories/{workspace}/{slug}";
        ContractResponse Error(int status, string message) =>
            new(status, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["message"] = message } });
        bool Mine(ContractRequest request) => request.PathValues["workspace"] == workspace && request.PathValues["repo_slug"] == slug;

        server.Handle("GET " + Source, request =>
        {
            var commit = request.PathValues["commit"];
            var path = request.PathValues["path"].TrimEnd('/');
            if (!Mine(request) || git.Commit(commit) is not { } at) return Error(404, "Commit not found");
            var entry = path.Length == 0 ? new SimulatedGitStore.TreeEntry("", SimulatedGitStore.Directory, at.Tree) : git.Find(at.Tree, path);
            if (entry is null) return Error(404, "No such file or directory: " + path);
            if (!entry.IsTree)
                return ContractResponse.Bytes(git.Blob(entry.Id)!);
            var prefix = path.Length == 0 ? "" : path + "/";
            // One page: the listing's next link would carry a page query parameter the operation does not declare.
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["pagelen"] = 100, ["page"] = 1,
                ["values"] = new JsonArray([.. git.Tree(entry.Id)!.Select(e => e.IsTree
                    ? new JsonObject
                    {
                        ["type"] = "commit_directory", ["path"] = prefix + e.Name,
                        ["commit"] = new JsonObject { ["type"] = "commit", ["hash"] = commit },
                    }
                    : new JsonObject
                    {
                        ["type"] = "commit_file", ["path"] = prefix + e.Name, ["size"] = git.Blob(e.Id)!.Length,
                        ["attributes"] = new JsonArray([.. Attributes(e.Mode).Select(a => (JsonNode)a)]),
                        ["commit"] = new JsonObject { ["type"] = "commit", ["hash"] = commit },
                    })]),
            });
        });
        // A file's history from a commit or branch (path, as the operation's description documents it), one page: the next
        // link would carry a page query parameter the operation does not declare.
        server.Handle("GET /repositories/{workspace}/{repo_slug}/commits/{revision}", request =>
        {
            var revision = request.PathValues["revision"];
            var from = git.Commit(revision) is not null ? revision : git.Tip(revision);
            if (!Mine(request) || from is null) return Error(404, "Commit not found");
            var history = request.QueryValue("path") is { } path ? git.History(from, path) : [from];
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["pagelen"] = 100, ["page"] = 1,
                ["values"] = new JsonArray([.. history.Take(100).Select(id => (JsonNode)new JsonObject
                {
                    ["type"] = "commit", ["hash"] = id, ["message"] = git.Commit(id)!.Message,
                    ["date"] = git.Date(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["parents"] = new JsonArray([.. git.Commit(id)!.Parents.Select(p => (JsonNode)new JsonObject { ["type"] = "commit", ["hash"] = p })]),
                })]),
            });
        });
        // The merge base of a two-commit revspec (a..b): the deploy wait's ancestry under GitOpsCommitMethod=api.
        server.Handle("GET /repositories/{workspace}/{repo_slug}/merge-base/{revspec}", request =>
        {
            var ends = request.PathValues["revspec"].Split("..");
            if (!Mine(request) || ends.Length != 2 || git.Commit(ends[0]) is null || git.Commit(ends[1]) is null)
                return Error(404, "Commit not found");
            if (git.MergeBase(ends[0], ends[1]) is not { } found)
                return Error(404, "No merge base");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["type"] = "commit", ["hash"] = found, ["message"] = git.Commit(found)!.Message,
                ["date"] = git.Date(found).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["parents"] = new JsonArray([.. git.Commit(found)!.Parents.Select(p => (JsonNode)new JsonObject { ["type"] = "commit", ["hash"] = p })]),
            });
        });
        // What a single commit changed against its first parent (paginated_diffstats, one page): each side's commit_file,
        // its attributes a link's or an executable's.
        server.Handle("GET /repositories/{workspace}/{repo_slug}/diffstat/{spec}", request =>
        {
            var spec = request.PathValues["spec"];
            var id = git.Commit(spec) is not null ? spec : git.Tip(spec);
            if (!Mine(request) || id is null) return Error(404, "Commit not found");
            var parent = git.Commit(id)!.Parents.FirstOrDefault();
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["pagelen"] = 500, ["page"] = 1, ["size"] = git.Changes(id).Count,
                ["values"] = new JsonArray([.. git.Changes(id).Select(c => (JsonNode)new JsonObject
                {
                    ["type"] = "diffstat", ["status"] = c.Old is null ? "added" : c.New is null ? "removed" : "modified", ["lines_added"] = 0, ["lines_removed"] = 0,
                }.Also(stat =>
                {
                    // An added file has no old side, a removed one no new side: left out, as Bitbucket does.
                    if (c.Old is not null) stat["old"] = File(c.Path, c.Old, parent!);
                    if (c.New is not null) stat["new"] = File(c.Path, c.New, id);
                }))]),
            });

            static JsonObject File(string path, SimulatedGitStore.TreeEntry entry, string commit) => new JsonObject
            {
                ["type"] = "commit_file", ["path"] = path, ["escaped_path"] = path,
                ["commit"] = new JsonObject { ["type"] = "commit", ["hash"] = commit },
            }.Also(file =>
            {
                if (entry.Mode is SimulatedGitStore.Link or SimulatedGitStore.Executable)
                    file["attributes"] = entry.Mode == SimulatedGitStore.Link ? "link" : "executable";
            });
        });
        server.Handle("POST /repositories/{workspace}/{repo_slug}/src", request =>
        {
            if (!Mine(request)) return Error(404, "Repository not found");
            var form = request.Form;
            string? Value(string name) => form.LastOrDefault(f => f.Name == name && !f.IsFile)?.Text;
            var branch = Value("branch") ?? "main";
            var parents = Value("parents");
            // Another pipeline's push lands as the request arrives.
            git.BeforeRefUpdate?.Invoke(branch);
            var tip = git.Tip(branch);
            if (tip is not null && parents is not null && parents != tip)
                return Error(409, $"parents {parents} is not the tip of {branch}");
            var parent = tip ?? parents ?? git.Tip("main");
            if (parent is null || git.Commit(parent) is null) return Error(404, "Commit not found");
            var files = form.Where(f => f.IsFile || !Meta.Contains(f.Name)).Select(f =>
            {
                var attributes = f.Parameters.GetValueOrDefault("x-attributes");
                var mode = attributes == "executable" ? SimulatedGitStore.Executable : attributes == "link" ? SimulatedGitStore.Link : SimulatedGitStore.File;
                return (f.Name.TrimStart('/'), mode, git.PutBlob(f.Content));
            }).ToList();
            var commit = git.PutCommit(git.WriteTree(git.Commit(parent)!.Tree, files), [parent], Value("message") ?? "Edited online with Bitbucket",
                Value("author") is { } author ? author + " 1700000000 +0000" : null);
            git.UpdateBranch(branch, commit);
            return git.OmitsCommitLocation
                ? new ContractResponse(201, null)
                : new ContractResponse(201, null, new Dictionary<string, string> { ["Location"] = $"{api}/commit/{commit}" });
        });
    }
}
