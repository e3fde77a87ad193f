using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>Bitbucket Cloud's API 2.0 (Descriptions/bitbucket.json), simulating one repository under /2.0.</summary>
public static partial class BitbucketContract
{
    public const string Token = "Bearer good";

    public static readonly ApiDescription Description = ApiDescription.Load("bitbucket.json");

    public static readonly IReadOnlyList<ContractTolerance> Tolerances =
    [
        new(ToleranceKind.Status, "*", "*", "403", "Bitbucket answers 403 to a token without the pullrequest:write or repository:write scope on every operation"),
        new(ToleranceKind.Status, "*", "*", "429", "Bitbucket Cloud's rate limits answer 429 on every operation"),
        new(ToleranceKind.MultiSegment, "GET", Source, "path",
            "a file's path spans '/' (src/{commit}/apps/web/deployment.yaml), and the root is listed as src/{commit}/, as the operation's description shows"),
        new(ToleranceKind.Status, "POST", "/repositories/{workspace}/{repo_slug}/src", "409",
            "the branch parameter's description: with parents given, 'it is asserted that the parent is the branch's tip/HEAD … When this is not the case, a 409 is returned'"),
    ];

    private const string Source = "/repositories/{workspace}/{repo_slug}/src/{commit}/{path}";

    private const string Pulls = "/repositories/{workspace}/{repo_slug}/pullrequests";

    /// <param name="git">The repository's content, for GitOpsCommitMethod=api (BitbucketContract.Source.cs); null: branches only.</param>
    public static (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository repository, string workspace, string slug, SimulatedGitStore? git = null)
    {
        var server = new ContractServer(Description, "/2.0", Tolerances);
        server.AcceptedAuthorizations.Add(Token);

        JsonObject Entity(SimulatedPull pull) => new JsonObject()
        {
            ["type"] = "pullrequest",
            ["id"] = pull.Number,
            ["title"] = pull.Title,
            ["description"] = pull.Body,
            ["state"] = pull.Merged ? "MERGED" : pull.IsOpen ? "OPEN" : "DECLINED",
            ["draft"] = pull.Draft,
            ["source"] = new JsonObject { ["branch"] = new JsonObject { ["name"] = pull.Head } },
            ["destination"] = new JsonObject { ["branch"] = new JsonObject { ["name"] = pull.Base } },
            ["links"] = new JsonObject { ["html"] = new JsonObject { ["href"] = $"https://bitbucket.org/{workspace}/{slug}/pull-requests/{pull.Number}" } },
        }.Also(entity =>
        {
            // Bitbucket names the merge commit by its 12-digit abbreviation.
            if (pull.MergeCommit is { } commit) entity["merge_commit"] = new JsonObject { ["hash"] = commit[..12] };
        });
        ContractResponse Error(int status, string message) =>
            new(status, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["message"] = message } });
        bool Mine(ContractRequest request) => request.PathValues["workspace"] == workspace && request.PathValues["repo_slug"] == slug;
        SimulatedPull? Pull(ContractRequest request) => Mine(request) ? repository.Find(long.Parse(request.PathValues["pull_request_id"])) : null;

        server.Handle("GET /repositories/{workspace}/{repo_slug}", request =>
            Mine(request) ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["type"] = "repository", ["full_name"] = $"{workspace}/{slug}", ["name"] = slug,
                ["mainbranch"] = new JsonObject { ["type"] = "branch", ["name"] = "main" },
            }) : Error(404, "Repository not found"));
        server.Handle("GET /repositories/{workspace}/{repo_slug}/refs/branches/{name}", request =>
            !Mine(request) ? Error(404, "Repository not found")
            : git?.Tip(request.PathValues["name"]) is { } tip
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject
                {
                    ["type"] = "branch", ["name"] = request.PathValues["name"],
                    ["target"] = new JsonObject { ["type"] = "commit", ["hash"] = tip, ["message"] = git.Commit(tip)!.Message },
                })
            : repository.Branches.Contains(request.PathValues["name"])
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["type"] = "branch", ["name"] = request.PathValues["name"] })
                : Error(404, "Branch not found"));
        server.Handle("DELETE /repositories/{workspace}/{repo_slug}/refs/branches/{name}", request =>
            Mine(request) && repository.Branches.Remove(request.PathValues["name"]) ? ContractResponse.Empty(HttpStatusCode.NoContent) : Error(404, "Branch not found"));
        server.Handle("GET " + Pulls, request =>
        {
            if (!Mine(request)) return Error(404, "Repository not found");
            var found = repository.Pulls.Where(p => request.QueryValue("state") is not "OPEN" || p.IsOpen).ToList();
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["size"] = found.Count, ["page"] = 1, ["pagelen"] = 50, ["values"] = new JsonArray([.. found.Select(Entity)]),
            });
        });
        server.Handle("POST " + Pulls, request =>
        {
            if (!Mine(request)) return Error(404, "Repository not found");
            var body = request.Json!.AsObject();
            var pull = repository.Open((string)body["source"]!["branch"]!["name"]!, (string)body["destination"]!["branch"]!["name"]!,
                (string)body["title"]!, (string?)body["description"] ?? "");
            pull.Draft = body["draft"]?.GetValue<bool>() == true;
            pull.Reviewers.AddRange(body["reviewers"]?.AsArray().Select(r => (string?)r!["uuid"] ?? (string)r["account_id"]!) ?? []);
            return ContractResponse.Json(HttpStatusCode.Created, Entity(pull));
        });
        server.Handle("GET " + Pulls + "/{pull_request_id}", request =>
        {
            if (Pull(request) is not { } pull) return Error(404, "Pull request not found");
            pull.Read();
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("GET /repositories/{workspace}/{repo_slug}/commit/{commit}", request =>
        {
            var abbreviation = request.PathValues["commit"];
            var full = repository.Pulls.Select(p => p.MergeCommit).Append(repository.StatusCommit)
                .FirstOrDefault(c => c is not null && c.StartsWith(abbreviation, StringComparison.Ordinal));
            return Mine(request) && full is not null && abbreviation.Length >= 7
                ? ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["type"] = "commit", ["hash"] = full })
                : Error(404, "Commit not found");
        });
        server.Handle("GET /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses", request =>
        {
            if (!Mine(request)) return Error(404, "Repository not found");
            if (repository.ReadStatuses(request.PathValues["commit"]) is not { } statuses) return Error(404, "Commit not found");
            // Flux's bitbucket provider: the Kustomization as the name, a hash of it as the key.
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["size"] = statuses.Length, ["page"] = 1, ["pagelen"] = 50,
                ["values"] = new JsonArray([.. statuses.Select(status => new JsonObject
                {
                    ["type"] = "build", ["key"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(status.Context))),
                    ["name"] = status.Context, ["refname"] = "main",
                    ["state"] = status.State switch { "success" => "SUCCESSFUL", "failure" => "FAILED", _ => "INPROGRESS" },
                    ["description"] = status.Description ?? "", ["url"] = status.Url ?? "",
                })]),
            });
        });
        server.Handle("PUT " + Pulls + "/{pull_request_id}", request =>
        {
            if (Pull(request) is not { } pull) return Error(404, "Pull request not found");
            var body = request.Json!.AsObject();
            if (body["title"] is { } title) pull.Title = (string)title!;
            if (body["description"] is { } description) pull.Body = (string)description!;
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        server.Handle("POST " + Pulls + "/{pull_request_id}/comments", request =>
        {
            if (Pull(request) is not { } pull) return Error(404, "Pull request not found");
            pull.Comments.Add((string)request.Json!["content"]!["raw"]!);
            return ContractResponse.Json(HttpStatusCode.Created, new JsonObject
            {
                ["type"] = "pullrequest_comment", ["id"] = pull.Comments.Count, ["content"] = new JsonObject { ["raw"] = pull.Comments[^1] },
            });
        });
        server.Handle("POST " + Pulls + "/{pull_request_id}/decline", request =>
        {
            if (Pull(request) is not { } pull) return Error(404, "Pull request not found");
            pull.IsOpen = false;
            return ContractResponse.Json(HttpStatusCode.OK, Entity(pull));
        });
        if (git is not null)
            HandleSource(server, git, workspace, slug);
        return (server, server.ApiRoot);
    }
}
