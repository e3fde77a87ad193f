using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>Azure DevOps' Git REST 7.1 (Descriptions/azure-devops-git.json), simulating one repository of one project.</summary>
public static partial class AzureDevOpsContract
{
    public const string Organization = "contoso";
    public const string RepositoryId = "5febef5a-833d-4e14-b9c0-14cb638f91e6";
    public const string CreatorId = "d6245f20-2af8-44f4-9451-8107cb2767db";

    /// <summary>A PAT as basic auth with an empty user name (git.json's accessToken scheme).</summary>
    public static readonly string Token = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":good"));

    /// <summary>
    /// Azure Pipelines' System.AccessToken as a job gets it: an OAuth access token, a JWT (this one is shaped like it,
    /// signed by nobody). It goes as a bearer token (git.json's oauth2 scheme), as Azure's pipeline docs send it.
    /// </summary>
    public static readonly string PipelineToken = string.Join('.',
        Base64Url("""{"typ":"JWT","alg":"RS256","x5t":"contract"}"""),
        Base64Url("""{"nameid":"d6245f20-2af8-44f4-9451-8107cb2767db","scp":"app_token","iss":"app.vstoken.visualstudio.com"}"""),
        Base64Url("signature"));

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static readonly ApiDescription Description = ApiDescription.Load("azure-devops-git.json");

    public static readonly IReadOnlyList<ContractTolerance> Tolerances =
    [
        new(ToleranceKind.Status, "*", "*", "403", "git.json declares only 200; the service answers 403 (TF401027: lacks a permission) on every operation"),
        new(ToleranceKind.Status, "*", "*", "404", "git.json declares only 200; the service answers 404 (TF401019: repository not found) on every operation"),
        new(ToleranceKind.Status, "POST", "Pull Requests_Create", "400", "the service refuses an invalid pull request (a title too long, a missing branch) with 400"),
        new(ToleranceKind.Status, "POST", "Pull Requests_Create", "409", "TF401179: an active pull request for the source and target branch already exists"),
        new(ToleranceKind.Status, "PATCH", "Pull Requests_Update", "400", "the service refuses a completion option a branch policy forbids with 400"),
        new(ToleranceKind.Status, "*", "*", "429", "Azure DevOps throttles with 429 and Retry-After on every operation"),
        new(ToleranceKind.Status, "POST", "Pushes_Create", "409", "TF401028: a ref update whose oldObjectId is not the branch's tip (another client updated it) is refused with 409"),
        new(ToleranceKind.Status, "POST", "Pushes_Create", "400", "the service refuses an invalid push (an edit of a path that does not exist) with 400"),
    ];

    /// <param name="git">The repository's content, for GitOpsCommitMethod=api (AzureDevOpsContract.Repository.cs); null: refs only.</param>
    public static (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository repository, string project, string name, SimulatedGitStore? git = null)
    {
        var server = new ContractServer(Description, "", Tolerances);
        server.AcceptedAuthorizations.Add(Token);
        server.AcceptedAuthorizations.Add("Bearer " + PipelineToken);
        var web = $"https://dev.azure.com/{Organization}/{Uri.EscapeDataString(project)}/_git/{name}";
        var tips = new Dictionary<string, string>();

        string Tip(string branch) => git?.Tip(branch) is { } real ? real : tips.TryGetValue(branch, out var tip) ? tip : tips[branch] = Convert.ToHexStringLower(BitConverter.GetBytes(branch.GetHashCode())).PadRight(40, '0');
        JsonObject Repository() => new() { ["id"] = RepositoryId, ["name"] = name, ["webUrl"] = web, ["defaultBranch"] = "refs/heads/main" };
        JsonObject Entity(SimulatedPull pull) => new JsonObject()
        {
            ["pullRequestId"] = pull.Number,
            ["title"] = pull.Title,
            ["description"] = pull.Body,
            ["sourceRefName"] = "refs/heads/" + pull.Head,
            ["targetRefName"] = "refs/heads/" + pull.Base,
            ["status"] = pull.Merged ? "completed" : pull.IsOpen ? "active" : "abandoned",
            ["isDraft"] = pull.Draft,
            ["createdBy"] = new JsonObject { ["id"] = CreatorId, ["displayName"] = "Build Service" },
            ["repository"] = Repository(),
            ["url"] = $"https://dev.azure.com/{Organization}/_apis/git/repositories/{RepositoryId}/pullRequests/{pull.Number}",
        }.Also(entity =>
        {
            if (pull.AutoMerge) entity["autoCompleteSetBy"] = new JsonObject { ["id"] = CreatorId };
            if (pull.MergeCommit is { } commit) entity["lastMergeCommit"] = new JsonObject { ["commitId"] = commit };
        });
        ContractResponse NotFound(string message) => new(404, new JsonObject { ["message"] = message, ["typeKey"] = "GitRepositoryNotFoundException" });
        bool Mine(ContractRequest request) =>
            request.PathValues["organization"] == Organization && request.PathValues["project"] == project
            // git.json names the repository repositoryNameOrId in a few operations (merge bases).
            && (request.PathValues.GetValueOrDefault("repositoryId") ?? request.PathValues.GetValueOrDefault("repositoryNameOrId")) is { } repositoryId
            && (repositoryId == name || repositoryId == RepositoryId);
        SimulatedPull? Pull(ContractRequest request) => Mine(request) ? repository.Find(long.Parse(request.PathValues["pullRequestId"])) : null;
        string Branch(string refName) => refName["refs/heads/".Length..];

        server.Handle("Repositories_Get Repository", request =>
            Mine(request) ? ContractResponse.Json(HttpStatusCode.OK, Repository()) : NotFound($"TF401019: The Git repository with name or identifier {request.PathValues["repositoryId"]} does not exist."));
        server.Handle("Refs_List", request =>
        {
            if (!Mine(request)) return NotFound("TF401019");
            var filter = request.QueryValue("filter") ?? "";
            // git.json describes the answer as the bare array (the service wraps it in {count, value}).
            var branches = git is null ? repository.Branches : repository.Branches.Union(git.Branches.Keys);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. branches.Where(b => ("heads/" + b).StartsWith(filter, StringComparison.Ordinal))
                .Select(b => new JsonObject { ["name"] = "refs/heads/" + b, ["objectId"] = Tip(b) })]));
        });
        server.Handle("Refs_Update Refs", request =>
        {
            var results = new JsonArray();
            foreach (var update in request.Json!.AsArray())
            {
                var branch = Branch((string)update!["name"]!);
                var deleted = (string)update["newObjectId"]! == new string('0', 40) && (string)update["oldObjectId"]! == Tip(branch) && repository.Branches.Remove(branch);
                results.Add(new JsonObject { ["name"] = (string)update["name"]!, ["success"] = deleted });
            }
            return ContractResponse.Json(HttpStatusCode.OK, results);
        });
        server.Handle("Pull Requests_Get Pull Requests", request =>
        {
            if (!Mine(request)) return NotFound("TF401019");
            var found = repository.Pulls
                .Where(p => request.QueryValue("searchCriteria.status") is not "active" || p.IsOpen)
                .Where(p => request.QueryValue("searchCriteria.sourceRefName") is not { } s || "refs/heads/" + p.Head == s)
                .Where(p => request.QueryValue("searchCriteria.targetRefName") is not { } t || "refs/heads/" + p.Base == t)
                .Skip(int.Parse(request.QueryValue("$skip") ?? "0")).Take(int.Parse(request.QueryValue("$top") ?? "101"));
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. found.Select(Entity)]));
        });
        server.Handle("Pull Requests_Create", request =>
        {
            if (!Mine(request)) return NotFound("TF401019");
            var body = request.Json!.AsObject();
            var head = Branch((string)body["sourceRefName"]!);
            var target = Branch((string)body["targetRefName"]!);
            if (repository.OpenPulls().Any(p => p.Head == head && p.Base == target))
                return new ContractResponse(409, new JsonObject { ["message"] = "TF401179: An active pull request for the source and target branch already exists." });
            var pull = repository.Open(head, target, (string)body["title"]!, (string?)body["description"] ?? "");
            pull.Draft = body["isDraft"]?.GetValue<bool>() == true;
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("Pull Requests_Get Pull Request", request =>
        {
            if (Pull(request) is not { } pull) return NotFound("TF401180: The requested pull request was not found.");
            pull.Read();
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("Statuses_List", request =>
        {
            if (!Mine(request)) return NotFound("TF401019");
            if (repository.ReadStatuses(request.PathValues["commitId"]) is not { } statuses)
                return NotFound($"TF401175: The commit {request.PathValues["commitId"]} does not exist.");
            var id = 1;
            // Flux's azuredevops provider: genre "fluxcd", the Kustomization as the name.
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. statuses.Select(status => new JsonObject
            {
                ["id"] = id++,
                ["state"] = status.State switch { "success" => "succeeded", "failure" => "failed", _ => "pending" },
                ["context"] = new JsonObject { ["genre"] = "fluxcd", ["name"] = status.Context },
                ["creationDate"] = "2026-12-06T06:00:00Z",
            }.Also(entity =>
            {
                // The service leaves out what the poster did not set.
                if (status.Description is { } description) entity["description"] = description;
                if (status.Url is { } url) entity["targetUrl"] = url;
            }))]));
        });
        server.Handle("Pull Requests_Update", request =>
        {
            if (Pull(request) is not { } pull) return NotFound("TF401180: The requested pull request was not found.");
            var body = request.Json!.AsObject();
            if (body["autoCompleteSetBy"] is { } setBy)
            {
                if (!repository.AutoMergeAllowed)
                    return new ContractResponse(400, new JsonObject { ["message"] = "TF401398: The pull request cannot be set to auto-complete: a policy forbids the merge strategy." });
                pull.AutoMerge = (string?)setBy["id"] == CreatorId;
                pull.MergeMethod = (string?)body["completionOptions"]?["mergeStrategy"];
            }
            if (body["title"] is { } title) pull.Title = (string)title!;
            if (body["description"] is { } description) pull.Body = (string)description!;
            if ((string?)body["status"] == "abandoned") pull.IsOpen = false;
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("Pull Request Threads_Create", request =>
        {
            if (Pull(request) is not { } pull) return NotFound("TF401180");
            pull.Comments.AddRange(request.Json!["comments"]!.AsArray().Select(c => (string)c!["content"]!));
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["id"] = pull.Comments.Count, ["status"] = (string?)request.Json!["status"] });
        });
        server.Handle("Pull Request Labels_Create", request =>
        {
            if (Pull(request) is not { } pull) return NotFound("TF401180");
            var label = (string)request.Json!["name"]!;
            if (!pull.Labels.Contains(label)) pull.Labels.Add(label);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = label, ["active"] = true });
        });
        server.Handle("Pull Request Reviewers_Create Pull Request Reviewer", request =>
        {
            if (Pull(request) is not { } pull) return NotFound("TF401180");
            pull.Reviewers.Add(request.PathValues["reviewerId"]);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["id"] = request.PathValues["reviewerId"], ["vote"] = 0 });
        });
        if (git is not null)
            HandleRepository(server, repository, git, Mine);
        return (server, new Uri(server.ApiRoot, Organization + "/"));
    }
}

internal static class JsonObjectExtensions
{
    /// <summary>Fields only some states have, added after the common ones.</summary>
    public static JsonObject Also(this JsonObject json, Action<JsonObject> add)
    {
        add(json);
        return json;
    }
}
