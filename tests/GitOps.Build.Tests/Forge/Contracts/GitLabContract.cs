using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>GitLab's REST v4 (Descriptions/gitlab.json), simulating merge requests and branches of one project.</summary>
public static partial class GitLabContract
{
    public const string Token = "Bearer good";

    public static readonly ApiDescription Description = ApiDescription.Load("gitlab.json");

    public static readonly IReadOnlyList<ContractTolerance> Tolerances =
    [
        new(ToleranceKind.Status, "*", "*", "403", "GitLab answers 403 (insufficient_scope, or a role below Developer) on every operation, listed or not"),
        new(ToleranceKind.Status, "*", "*", "429", "GitLab's rate limits answer 429 with RateLimit-Reset and Retry-After on every operation"),
        new(ToleranceKind.Status, "GET", "getApiV4ProjectsIdRepositoryMergeBase", "400",
            "the rendering lists only 200; lib/api/repositories.rb answers 400 (Could not find ref) for a ref it does not know"),
        new(ToleranceKind.Status, "GET", "getApiV4ProjectsIdRepositoryMergeBase", "404",
            "the rendering lists only 200; lib/api/repositories.rb answers 404 (Merge Base Not Found) for commits with no common ancestor"),
    ];

    /// <summary>The server (paths include /api/v4, so its root is the host) and the REST root to give the client.</summary>
    /// <param name="git">The project's content, for GitOpsCommitMethod=api (GitLabContract.Repository.cs); null: branches only.</param>
    public static (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository repository, string projectPath, SimulatedGitStore? git = null)
    {
        var server = new ContractServer(Description, "", Tolerances);
        server.AcceptedAuthorizations.Add(Token);
        var web = "https://gitlab.example.com/" + projectPath;

        // GitLab's entities declare no nullable field: a merge request's merge_commit_sha, null until it is merged, is left
        // out rather than sent as the null GitLab sends (the client reads both alike).
        JsonObject Entity(SimulatedPull pull) => WithoutNulls(new()
        {
            ["id"] = 1000 + pull.Number,
            ["iid"] = pull.Number,
            ["project_id"] = 7,
            ["title"] = pull.Title,
            ["description"] = pull.Body,
            ["state"] = pull.Merged ? "merged" : pull.IsOpen ? "opened" : "closed",
            ["sha"] = new string('b', 40),
            ["merge_commit_sha"] = pull.MergeCommit,
            ["source_branch"] = pull.Head,
            ["target_branch"] = pull.Base,
            ["web_url"] = $"{web}/-/merge_requests/{pull.Number}",
            ["draft"] = pull.Title.StartsWith("Draft:", StringComparison.Ordinal),
            ["merge_when_pipeline_succeeds"] = pull.AutoMerge,
            ["detailed_merge_status"] = "mergeable",
            ["labels"] = new JsonArray([.. pull.Labels.Select(l => JsonValue.Create(l))]),
        });
        ContractResponse NotFound(string what) => ContractResponse.Error(404, $"404 {what} Not Found");
        bool Mine(ContractRequest request) => request.PathValues["id"] == projectPath;

        server.Handle("getApiV4ProjectsIdRepositoryBranchesBranch", request =>
            !Mine(request) ? NotFound("Project")
            : repository.Branches.Contains(request.PathValues["branch"])
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["name"] = request.PathValues["branch"], ["default"] = request.PathValues["branch"] == "main" })
                : NotFound("Branch"));
        server.Handle("getApiV4ProjectsIdRepositoryBranches", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var size = int.Parse(request.QueryValue("per_page") ?? "20");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. repository.Branches.Order(StringComparer.Ordinal).Skip((page - 1) * size).Take(size)
                .Select(b => new JsonObject { ["name"] = b, ["default"] = b == "main" })]));
        });
        server.Handle("deleteApiV4ProjectsIdRepositoryBranchesBranch", request =>
            repository.Branches.Remove(request.PathValues["branch"]) ? ContractResponse.Empty(HttpStatusCode.NoContent) : NotFound("Branch"));
        server.Handle("getApiV4ProjectsIdMergeRequests", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            var state = request.QueryValue("state") ?? "all";
            var found = repository.Pulls.Where(p => state == "all" || (state == "opened") == p.IsOpen)
                .Where(p => request.QueryValue("source_branch") is not { } s || p.Head == s)
                .Where(p => request.QueryValue("target_branch") is not { } t || p.Base == t).ToList();
            var size = int.Parse(request.QueryValue("per_page") ?? "20");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. found.Skip((page - 1) * size).Take(size).Select(Entity)]));
        });
        server.Handle("postApiV4ProjectsIdMergeRequests", request =>
        {
            var body = request.Json!.AsObject();
            var head = (string)body["source_branch"]!;
            var target = (string)body["target_branch"]!;
            if (repository.OpenPulls().Any(p => p.Head == head && p.Base == target))
                return ContractResponse.Error(409, $"Another open merge request already exists for this source branch: !1");
            var pull = repository.Open(head, target, (string)body["title"]!, (string?)body["description"] ?? "");
            pull.Labels.AddRange(body["labels"]?.AsArray().Select(l => (string)l!) ?? []);
            pull.Reviewers.AddRange(body["reviewer_ids"]?.AsArray().Select(r => r!.ToString()) ?? []);
            return ContractResponse.Json(HttpStatusCode.Created, Entity(pull));
        });
        server.Handle("getApiV4ProjectsIdMergeRequestsMergeRequestIid", request =>
        {
            if (repository.Find(long.Parse(request.PathValues["merge_request_iid"])) is not { } pull) return NotFound("Merge Request");
            pull.Read();
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("getApiV4ProjectsIdRepositoryCommitsShaStatuses", request =>
        {
            if (!Mine(request)) return NotFound("Project");
            if (repository.ReadStatuses(request.PathValues["sha"]) is not { } statuses) return NotFound("Commit");
            var id = 90;
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. statuses.Select(status => new JsonObject
            {
                ["id"] = id++, ["sha"] = request.PathValues["sha"], ["ref"] = "main", ["name"] = status.Context,
                ["status"] = status.State switch { "success" => "success", "failure" => "failed", _ => "running" },
                ["description"] = status.Description, ["target_url"] = status.Url, ["created_at"] = "2026-12-06T06:00:00Z",
                ["allow_failure"] = false, ["pipeline_id"] = 3, ["author"] = new JsonObject { ["username"] = "flux" },
            })]));
        });
        server.Handle("putApiV4ProjectsIdMergeRequestsMergeRequestIid", request =>
        {
            if (repository.Find(long.Parse(request.PathValues["merge_request_iid"])) is not { } pull) return NotFound("Merge Request");
            var body = request.Json!.AsObject();
            if (body["title"] is { } title) pull.Title = (string)title!;
            if (body["description"] is { } description) pull.Body = (string)description!;
            foreach (var label in body["add_labels"]?.AsArray().Select(l => (string)l!) ?? [])
                if (!pull.Labels.Contains(label)) pull.Labels.Add(label);
            if ((string?)body["state_event"] == "close") pull.IsOpen = false;
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("putApiV4ProjectsIdMergeRequestsMergeRequestIidMerge", request =>
        {
            if (repository.Find(long.Parse(request.PathValues["merge_request_iid"])) is not { } pull) return NotFound("Merge Request");
            if (!repository.AutoMergeAllowed)
                return ContractResponse.Error(405, "405 Method Not Allowed");
            pull.AutoMerge = request.Json?["auto_merge"]?.GetValue<bool>() == true;
            pull.MergeMethod = request.Json?["squash"]?.GetValue<bool>() == true ? "squash" : "merge";
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        if (git is not null)
            HandleRepository(server, repository, git, projectPath);
        return (server, new Uri(server.ApiRoot, "api/v4/"));
    }

    private static JsonObject WithoutNulls(JsonObject entity)
    {
        foreach (var name in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
            entity.Remove(name);
        return entity;
    }
}
