using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>Gitea's (and Forgejo's) API v1 (Descriptions/gitea.json), simulating one repository under /api/v1.</summary>
public static partial class GiteaContract
{
    public const string Token = "token good";

    public static readonly ApiDescription Description = ApiDescription.Load("gitea.json");

    public static readonly IReadOnlyList<ContractTolerance> Tolerances =
    [
        new(ToleranceKind.Status, "*", "*", "403", "Gitea answers 403 to a token without the write:repository scope on every operation"),
        new(ToleranceKind.Status, "*", "*", "429", "a Gitea or Forgejo behind a rate-limiting proxy answers 429 with Retry-After"),
    ];

    /// <param name="git">The repository's content, for GitOpsCommitMethod=api (GiteaContract.Content.cs); null: branches only.</param>
    public static (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository repository, string owner, string name, SimulatedGitStore? git = null)
    {
        var server = new ContractServer(Description, "/api/v1", Tolerances);
        server.AcceptedAuthorizations.Add(Token);
        var web = $"https://gitea.example.com/{owner}/{name}";

        JsonObject Entity(SimulatedPull pull) => new JsonObject()
        {
            ["id"] = 500 + pull.Number,
            ["number"] = pull.Number,
            ["title"] = pull.Title,
            ["body"] = pull.Body,
            ["state"] = pull.IsOpen ? "open" : "closed",
            ["draft"] = pull.Title.StartsWith("WIP:", StringComparison.Ordinal),
            ["html_url"] = $"{web}/pulls/{pull.Number}",
            ["head"] = new JsonObject { ["ref"] = pull.Head, ["label"] = pull.Head },
            ["base"] = new JsonObject { ["ref"] = pull.Base, ["label"] = pull.Base },
            ["labels"] = new JsonArray([.. pull.Labels.Select(l => new JsonObject { ["id"] = repository.Labels[l], ["name"] = l })]),
            ["merged"] = pull.Merged,
        }.Also(entity =>
        {
            if (pull.MergeCommit is { } commit) entity["merge_commit_sha"] = commit;
        });
        bool Mine(ContractRequest request) => request.PathValues["owner"] == owner && request.PathValues["repo"] == name;
        // Gitea's notFound answer is described without a body.
        ContractResponse NotFound() => ContractResponse.Empty(HttpStatusCode.NotFound);
        SimulatedPull? Pull(ContractRequest request) => Mine(request) ? repository.Find(long.Parse(request.PathValues["index"])) : null;
        void SetLabels(SimulatedPull pull, JsonNode? ids)
        {
            if (ids is null) return;
            pull.Labels.Clear();
            pull.Labels.AddRange(ids.AsArray().Select(id => repository.Labels.First(l => l.Value == (long)id!).Key));
        }

        server.Handle("repoGet", request =>
            Mine(request) ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["id"] = 3, ["name"] = name, ["full_name"] = $"{owner}/{name}", ["default_branch"] = "main", ["html_url"] = web,
            }) : NotFound());
        server.Handle("repoGetBranch", request =>
            !Mine(request) ? NotFound()
            : git?.Tip(request.PathValues["branch"]) is { } tip ? ContractResponse.Json(HttpStatusCode.OK, BranchJson(git, request.PathValues["branch"], tip, web))
            : repository.Branches.Contains(request.PathValues["branch"])
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["name"] = request.PathValues["branch"], ["protected"] = false })
                : NotFound());
        server.Handle("repoDeleteBranch", request =>
            Mine(request) && repository.Branches.Remove(request.PathValues["branch"]) ? ContractResponse.Empty(HttpStatusCode.NoContent) : NotFound());
        server.Handle("issueListLabels", request =>
        {
            if (!Mine(request)) return NotFound();
            var size = int.Parse(request.QueryValue("limit") ?? "30");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. repository.Labels.Skip((page - 1) * size).Take(size)
                .Select(l => new JsonObject { ["id"] = l.Value, ["name"] = l.Key, ["color"] = "00aabb" })]));
        });
        server.Handle("repoListPullRequests", request =>
        {
            if (!Mine(request)) return NotFound();
            var state = request.QueryValue("state") ?? "open";
            var size = int.Parse(request.QueryValue("limit") ?? "30");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            var found = repository.Pulls.Where(p => state == "all" || (state == "open") == p.IsOpen);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. found.Skip((page - 1) * size).Take(size).Select(Entity)]));
        });
        server.Handle("repoCreatePullRequest", request =>
        {
            if (!Mine(request)) return NotFound();
            var body = request.Json!.AsObject();
            var head = (string)body["head"]!;
            var target = (string)body["base"]!;
            if (repository.OpenPulls().Any(p => p.Head == head && p.Base == target))
                return ContractResponse.Error(409, "pull request already exists for these targets");
            var pull = repository.Open(head, target, (string)body["title"]!, (string?)body["body"] ?? "");
            SetLabels(pull, body["labels"]);
            return ContractResponse.Json(HttpStatusCode.Created, Entity(pull));
        });
        server.Handle("repoGetPullRequest", request =>
        {
            if (Pull(request) is not { } pull) return NotFound();
            pull.Read();
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("repoGetCombinedStatusByRef", request =>
        {
            if (!Mine(request)) return NotFound();
            if (repository.ReadStatuses(request.PathValues["ref"]) is not { } statuses) return NotFound();
            var size = int.Parse(request.QueryValue("limit") ?? "30");
            var page = int.Parse(request.QueryValue("page") ?? "1");
            var id = 1;
            var all = statuses.Select(status => new JsonObject
            {
                ["id"] = id++, ["context"] = status.Context,
                ["status"] = status.State switch { "success" => "success", "failure" => "failure", _ => "pending" },
                ["description"] = status.Description ?? "", ["target_url"] = status.Url ?? "", ["created_at"] = "2026-12-06T06:00:00Z",
            }).ToList();
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["sha"] = request.PathValues["ref"], ["total_count"] = all.Count,
                ["state"] = statuses.Any(s => s.State == "failure") ? "failure" : statuses.All(s => s.State == "success") ? "success" : "pending",
                ["statuses"] = new JsonArray([.. all.Skip((page - 1) * size).Take(size)]),
            });
        });
        server.Handle("repoEditPullRequest", request =>
        {
            if (Pull(request) is not { } pull) return NotFound();
            var body = request.Json!.AsObject();
            if (body["title"] is { } title) pull.Title = (string)title!;
            if (body["body"] is { } text) pull.Body = (string)text!;
            SetLabels(pull, body["labels"]);
            if ((string?)body["state"] == "closed") pull.IsOpen = false;
            return ContractResponse.Json(HttpStatusCode.Created, Entity(pull));
        });
        server.Handle("repoCreatePullReviewRequests", request =>
        {
            if (Pull(request) is not { } pull) return NotFound();
            var reviewers = request.Json!["reviewers"]!.AsArray().Select(r => (string)r!).ToList();
            pull.Reviewers.AddRange(reviewers.Where(r => !pull.Reviewers.Contains(r)));
            return ContractResponse.Json(HttpStatusCode.Created, new JsonArray([.. reviewers.Select(r => new JsonObject { ["state"] = "REQUEST_REVIEW" })]));
        });
        server.Handle("issueCreateComment", request =>
        {
            if (Pull(request) is not { } pull) return NotFound();
            pull.Comments.Add((string)request.Json!["body"]!);
            return ContractResponse.Json(HttpStatusCode.Created, new JsonObject { ["id"] = pull.Comments.Count, ["body"] = pull.Comments[^1] });
        });
        server.Handle("repoMergePullRequest", request =>
        {
            if (Pull(request) is not { } pull) return NotFound();
            if (!repository.AutoMergeAllowed)
                return ContractResponse.Error(405, "The repository does not allow scheduled merges (merge when checks succeed)");
            pull.AutoMerge = request.Json!["merge_when_checks_succeed"]?.GetValue<bool>() == true;
            pull.MergeMethod = (string?)request.Json!["Do"];
            return ContractResponse.Empty(HttpStatusCode.OK);
        });
        if (git is not null)
            HandleContent(server, git, owner, name);
        return (server, server.ApiRoot);
    }
}
