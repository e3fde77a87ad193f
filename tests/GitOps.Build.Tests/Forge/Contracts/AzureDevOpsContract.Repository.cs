using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// Azure DevOps' content and push operations (a commit, items, blobs, a push) over a <see cref="SimulatedGitStore"/>:
/// what GitOpsCommitMethod=api reads and writes. A push's ref update is applied only when its oldObjectId is the
/// branch's tip (0…0: the branch must not exist), else 409 TF401028, as the service refuses a stale update.
/// </summary>
public static partial class AzureDevOpsContract
{
    /// <summary>Who the service names as author when the push names none: the token's identity.</summary>
    public const string TokenUser = "Build Service <build@contoso.example> 1700000000 +0000";

    private static void HandleRepository(ContractServer server, SimulatedRepository repository, SimulatedGitStore git, Func<ContractRequest, bool> mine)
    {
        var zero = new string('0', 40);
        ContractResponse NotFound(string message) => new(404, new JsonObject { ["message"] = message, ["typeKey"] = "GitItemNotFoundException" });
        string Api(string path) => $"https://dev.azure.com/{Organization}/_apis/git/repositories/{RepositoryId}/{path}";

        JsonObject CommitJson(string id)
        {
            var commit = git.Commit(id)!;
            var who = Person(commit.Author ?? TokenUser);
            return new JsonObject
            {
                ["treeId"] = commit.Tree, ["commitId"] = id, ["author"] = who, ["committer"] = who.DeepClone(), ["comment"] = commit.Message,
                ["parents"] = new JsonArray([.. commit.Parents.Select(p => JsonValue.Create(p))]), ["url"] = Api("commits/" + id),
            };
        }

        server.Handle("Commits_Get", request =>
            !mine(request) ? NotFound("TF401019")
            : git.Commit(request.PathValues["commitId"]) is null ? NotFound($"TF401175: The commit {request.PathValues["commitId"]} does not exist.")
            : ContractResponse.Json(HttpStatusCode.OK, CommitJson(request.PathValues["commitId"]).Also(commit =>
            {
                // changeCount: the commit's changes against its first parent, up to that many; the folders holding a
                // changed file are listed too, as the service lists them.
                if (request.QueryValue("changeCount") is { } count)
                    commit["changes"] = new JsonArray([.. Changes(request.PathValues["commitId"]).Take(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture))]);
            })));

        IEnumerable<JsonNode> Changes(string id)
        {
            var changes = git.Changes(id);
            foreach (var folder in changes.SelectMany(c => Folders(c.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                yield return new JsonObject { ["changeType"] = "edit", ["item"] = new JsonObject { ["path"] = folder, ["isFolder"] = true, ["gitObjectType"] = "tree" } };
            foreach (var (path, old, now) in changes)
                yield return new JsonObject
                {
                    ["changeType"] = old is null ? "add" : now is null ? "delete" : "edit",
                    ["item"] = new JsonObject { ["path"] = "/" + path, ["gitObjectType"] = "blob", ["objectId"] = (now ?? old)!.Id },
                };
        }

        static IEnumerable<string> Folders(string path)
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                yield return "/" + path[..slash];
        }

        // The merge bases of commitId and otherCommitId (the deploy wait's ancestry under GitOpsCommitMethod=api).
        server.Handle("Merge Bases_List", request =>
        {
            if (!mine(request)) return NotFound("TF401019");
            var (one, other) = (request.PathValues["commitId"], request.QueryValue("otherCommitId")!);
            if (git.Commit(one) is null || git.Commit(other) is null) return NotFound($"TF401175: The commit {(git.Commit(one) is null ? one : other)} does not exist.");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray(git.MergeBase(one, other) is { } found ? [CommitJson(found)] : []));
        });

        // A file's history (itemPath, itemVersion, historyMode as GitOpsCommitMethod=api asks). The service cuts long comments in
        // lists (commentTruncated): here past 100 characters, so a client must read such a commit for its whole message.
        server.Handle("Commits_Get Commits Batch", request =>
        {
            if (!mine(request)) return NotFound("TF401019");
            var body = request.Json!.AsObject();
            var version = (string?)body["itemVersion"]?["version"] ?? "main";
            var from = (string?)body["itemVersion"]?["versionType"] == "commit" ? version : git.Tip(version);
            if (from is null || git.Commit(from) is null) return NotFound($"TF401175: The version {version} does not exist.");
            var path = ((string?)body["itemPath"] ?? "/").TrimStart('/');
            var history = git.History(from, path).Skip((int?)body["$skip"] ?? 0).Take((int?)body["$top"] ?? 100);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. history.Select(id =>
            {
                var commit = CommitJson(id);
                commit["committer"]!["date"] = git.Date(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                var comment = (string)commit["comment"]!;
                if (comment.Length > 100)
                {
                    commit["comment"] = comment[..100];
                    commit["commentTruncated"] = true;
                }
                return (JsonNode)commit;
            })]));
        });

        server.Handle("Items_List", request =>
        {
            if (!mine(request)) return NotFound("TF401019");
            var version = request.QueryValue("versionDescriptor.version") ?? "main";
            var commitId = request.QueryValue("versionDescriptor.versionType") == "commit" ? version : git.Tip(version);
            if (commitId is null || git.Commit(commitId) is not { } commit) return NotFound($"TF401175: The version {version} does not exist.");
            var scope = (request.QueryValue("scopePath") ?? "/").TrimEnd('/');
            JsonObject Item(string path, SimulatedGitStore.TreeEntry? entry) => new JsonObject
            {
                ["objectId"] = entry?.Id ?? commit.Tree, ["gitObjectType"] = entry is null || entry.IsTree ? "tree" : "blob", ["commitId"] = commitId,
                ["path"] = path.Length == 0 ? "/" : path, ["url"] = Api("items" + path),
            }.Also(item =>
            {
                if (entry is null || entry.IsTree) item["isFolder"] = true;
                if (entry?.Mode == SimulatedGitStore.Link) item["isSymLink"] = true;
            });
            var self = scope.Length == 0 ? null : git.Find(commit.Tree, scope[1..]);
            if (scope.Length > 0 && self is null)
                return NotFound($"TF401174: The item '{scope}' could not be found in the repository at the version specified.");
            var items = new List<JsonObject> { Item(scope, self) };
            var level = request.QueryValue("recursionLevel") ?? "none";
            if (self is null || self.IsTree)
            {
                var tree = self?.Id ?? commit.Tree;
                if (level == "full")
                    items.AddRange(git.Walk(tree, scope + "/").Select(e => Item(e.Path, e.Entry)));
                else if (level == "oneLevel")
                    items.AddRange(git.Tree(tree)!.Select(e => Item(scope + "/" + e.Name, e)));
            }
            // git.json describes the answer as the bare array (the service wraps it in {count, value}).
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. items]));
        });

        server.Handle("Blobs_Get Blob", request =>
        {
            if (!mine(request)) return NotFound("TF401019");
            var sha = request.PathValues["sha1"];
            if (git.Blob(sha) is not { } content) return NotFound($"TF401028: The blob {sha} does not exist.");
            return request.QueryValue("$format") == "octetstream"
                ? ContractResponse.Bytes(content)
                : ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["objectId"] = sha, ["size"] = content.Length, ["url"] = Api("blobs/" + sha) });
        });

        server.Handle("Pushes_Create", request =>
        {
            if (!mine(request)) return NotFound("TF401019");
            var body = request.Json!.AsObject();
            var update = body["refUpdates"]!.AsArray().Single()!.AsObject();
            var name = (string)update["name"]!;
            var branch = name["refs/heads/".Length..];
            var expected = (string)update["oldObjectId"]!;
            var sent = body["commits"]!.AsArray().Single()!.AsObject();
            var parent = sent["parents"]?.AsArray().Select(p => (string)p!).FirstOrDefault() ?? expected;
            // Another pipeline's push may land here, between the client's read and the service's check.
            git.BeforeRefUpdate?.Invoke(branch);
            var tip = git.Tip(branch);
            if (expected == zero ? tip is not null : tip != expected)
                return new ContractResponse(409, new JsonObject
                {
                    ["message"] = $"TF401028: The reference '{name}' has already been updated by another client, so you cannot update it. Please try again.",
                    ["typeKey"] = "GitReferenceStaleException",
                });
            if (git.Commit(parent) is not { } baseCommit) return new ContractResponse(400, new JsonObject { ["message"] = "TF401035: the parent does not exist." });
            var files = new List<(string, string, string)>();
            foreach (var change in sent["changes"]!.AsArray().Select(c => c!.AsObject()))
            {
                var path = ((string)change["item"]!["path"]!).TrimStart('/');
                if ((string)change["changeType"]! != "edit" || git.Find(baseCommit.Tree, path) is not { IsTree: false } existing)
                    return new ContractResponse(400, new JsonObject { ["message"] = $"TF401174: The item '/{path}' could not be found (this simulation takes edits only)." });
                var content = change["newContent"]!.AsObject();
                var bytes = string.Equals((string?)content["contentType"], "base64Encoded", StringComparison.OrdinalIgnoreCase)
                    ? Convert.FromBase64String((string)content["content"]!)
                    : System.Text.Encoding.UTF8.GetBytes((string)content["content"]!);
                files.Add((path, existing.Mode, git.PutBlob(bytes)));
            }
            var author = sent["author"] is JsonObject a ? $"{a["name"]} <{a["email"]}> 1700000000 +0000" : TokenUser;
            var sha = git.PutCommit(git.WriteTree(baseCommit.Tree, files), [parent], (string)sent["comment"]!, author);
            git.UpdateBranch(branch, sha);
            repository.Branches.Add(branch);
            // refUpdates: the ref as the push left it (a forge that dropped the update names the old tip there, as it is).
            // git.json declares 200 (the service answers 201, as its examples show): the client takes either.
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["commits"] = new JsonArray(CommitJson(sha)),
                ["refUpdates"] = new JsonArray(new JsonObject { ["repositoryId"] = RepositoryId, ["name"] = name, ["oldObjectId"] = expected, ["newObjectId"] = git.DropsRefUpdates ? expected : sha }),
                ["pushId"] = 84, ["date"] = "2026-12-06T06:00:00Z", ["url"] = Api("pushes/84"),
                ["pushedBy"] = new JsonObject { ["id"] = CreatorId, ["displayName"] = "Build Service" },
            });
        });
    }

    private static JsonObject Person(string signature)
    {
        var open = signature.IndexOf('<');
        return new JsonObject { ["name"] = signature[..open].Trim(), ["email"] = signature[(open + 1)..signature.IndexOf('>')], ["date"] = "2026-12-06T06:00:00Z" };
    }
}
