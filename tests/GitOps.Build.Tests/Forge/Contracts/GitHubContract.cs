using System.Net;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// GitHub held to github/rest-api-description (Descriptions/github.json), simulating one repository: its branches,
/// pull requests (numbers, state, head/base, title, body, labels, reviewers, comments), auto-merge and the App's
/// installation-token exchange. The REST root is laid out as GitHub Enterprise Server's (/api/v3, GraphQL at
/// /api/graphql), the layout GitOpsForgeApiUrl names for a self-hosted GitHub.
/// </summary>
public sealed partial class GitHubContract : IDisposable
{
    /// <summary>Every exception to the description this contract makes, each with why the real service behaves so.</summary>
    public static readonly ContractTolerance[] Tolerances =
    [
        new(ToleranceKind.Status, "*", "*", "401",
            "GitHub answers a missing or bad token 401 on every endpoint (REST docs, 'Authenticating to the REST API'), not only where an operation lists it"),
        new(ToleranceKind.Status, "*", "*", "403",
            "a spent primary or secondary rate limit is 403 with x-ratelimit-remaining: 0 or Retry-After on every endpoint (REST docs, 'Rate limits')"),
        new(ToleranceKind.Status, "*", "*", "429",
            "secondary rate limits may answer 429 on every endpoint (REST docs, 'Rate limits')"),
        new(ToleranceKind.Status, "*", "*", "404",
            "a repository the token cannot see is 404 on every endpoint, so its existence is not disclosed (REST docs, 'Troubleshooting')"),
        .. new[] { ("POST", "pulls/create"), ("PATCH", "pulls/update"), ("POST", "issues/create-comment"), ("POST", "issues/add-labels"),
            ("POST", "pulls/request-reviewers") }.Select(call => new ContractTolerance(ToleranceKind.ContentType, call.Item1, call.Item2,
            "application/x-www-form-urlencoded",
            "Octokit 14 labels the JSON it sends as application/x-www-form-urlencoded (its Connection's default media type); GitHub reads the body as JSON whatever the label, so the body is still validated as JSON")),
        new(ToleranceKind.UndescribedOperation, "POST", "/api/graphql",
            "", "GraphQL beside REST: enablePullRequestAutoMerge has no REST operation; it is described by GitHub's GraphQL schema, not this description"),
    ];

    private readonly object gate = new();
    private readonly Dictionary<long, JsonObject> pulls = [];
    private long nextNumber = 1;

    /// <param name="installationToken">
    /// The token the App's exchange issues (default <see cref="InstallationToken"/>): a publish test issues the git
    /// server's own token, so the push succeeds only if git used what the exchange gave.
    /// </param>
    public GitHubContract(string owner = "team", string repository = "config", string? installationToken = null)
    {
        IssuedInstallationToken = installationToken ?? InstallationToken;
        Owner = owner;
        Repository = repository;
        Server = new ContractServer(ApiDescription.Load("github.json"), "/api/v3", Tolerances);
        Server.AcceptedAuthorizations.Add("Bearer " + Token);
        Branches.Add("main");
        Server.Handle("repos/get", Repo(request => ContractResponse.Json(HttpStatusCode.OK, RepositoryJson("full-repository"))));
        Server.Handle("repos/get-branch", Repo(GetBranch));
        Server.Handle("pulls/list", Repo(List));
        Server.Handle("pulls/create", Repo(Create));
        Server.Handle("pulls/get", Repo(GetPull));
        Server.Handle("pulls/update", Repo(Update));
        Server.Handle("issues/add-labels", Repo(AddLabels));
        Server.Handle("pulls/request-reviewers", Repo(RequestReviewers));
        Server.Handle("issues/create-comment", Repo(Comment));
        Server.Handle("git/delete-ref", Repo(DeleteRef));
        Server.HandleUndescribed(Tolerances[^1], GraphQl);
        Server.Handle("apps/get-repo-installation", Repo(_ => ContractResponse.Json(HttpStatusCode.OK, Shaped("installation", new JsonObject
        {
            ["id"] = InstallationId, ["app_id"] = AppId, ["target_type"] = "Organization", ["repository_selection"] = "selected",
            ["account"] = User(Owner, 1, "Organization"),
        }))));
        Server.Handle("apps/create-installation-access-token", request =>
            long.Parse(request.PathValues["installation_id"]) == InstallationId
                ? ContractResponse.Json(HttpStatusCode.Created, Shaped("installation-token", new JsonObject
                {
                    ["token"] = IssuedInstallationToken,
                    ["expires_at"] = SchemaSample.Iso(DateTimeOffset.UtcNow.AddHours(1)),
                    ["permissions"] = new JsonObject { ["contents"] = "write", ["pull_requests"] = "write" },
                    ["repository_selection"] = "selected",
                }))
                : NotFound());
        // The App's JWT, and nothing else, opens the two App operations; it opens nothing else (AcceptedAuthorizations).
        Server.OperationAuthorization["apps/get-repo-installation"] = ValidJwt;
        Server.OperationAuthorization["apps/create-installation-access-token"] = ValidJwt;
        Server.AcceptedAuthorizations.Add("Bearer " + IssuedInstallationToken);
        HandleGitData();
    }

    public const string InstallationToken = "ghs_contractInstallationToken0123456789";

    /// <summary>What the installation-token exchange answers with.</summary>
    public string IssuedInstallationToken { get; }

    public const long InstallationId = 4711;

    public const long AppId = 1234;

    /// <summary>The App's key; its public half checks the JWTs.</summary>
    public System.Security.Cryptography.RSA AppKey { get; } = System.Security.Cryptography.RSA.Create(2048);

    /// <summary>JWTs the App operations received, and why any was refused.</summary>
    public List<string> JwtProblems { get; } = [];

    /// <summary>As GitHub checks an App's JWT: RS256 by the App's key, iss the App id, issued in the past, at most 10 minutes long, not expired.</summary>
    private bool ValidJwt(string? authorization)
    {
        var problem = JwtProblem(authorization);
        if (problem is not null) lock (gate) JwtProblems.Add(problem);
        return problem is null;
    }

    private string? JwtProblem(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return "no bearer JWT";
        var parts = authorization["Bearer ".Length..].Split('.');
        if (parts.Length != 3) return "not a JWT";
        static byte[] Decode(string part) => Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight((part.Length + 3) / 4 * 4, '='));
        var header = JsonNode.Parse(Decode(parts[0]))!;
        var payload = JsonNode.Parse(Decode(parts[1]))!;
        if ((string?)header["alg"] != "RS256") return "alg is not RS256";
        if (!AppKey.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1))
            return "the signature does not verify with the App's key";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var iat = (long)payload["iat"]!;
        var exp = (long)payload["exp"]!;
        if ((string?)payload["iss"]?.ToString() != AppId.ToString()) return $"iss is {payload["iss"]}";
        if (iat > now) return "iat is in the future";
        if (exp <= now) return "expired";
        if (exp - iat > 600) return "longer than 10 minutes";
        return null;
    }

    public const string Token = "ghp_contractTestToken0123456789abcdef";

    public ContractServer Server { get; }

    public string Owner { get; }

    public string Repository { get; }

    /// <summary>Branches the repository has. A pull request's head must be one (a publish test adds its pushed branch, or sets <see cref="AnyHeadExists"/>).</summary>
    public HashSet<string> Branches { get; } = [];

    /// <summary>Heads are pushed to a real git server in publish tests: accept any head as existing.</summary>
    public bool AnyHeadExists { get; set; }

    /// <summary>The repository setting "Allow auto-merge".</summary>
    public bool AllowAutoMerge { get; set; } = true;

    public List<string> DeletedBranches { get; } = [];

    /// <summary>Every pull request, open or closed, by number.</summary>
    public IReadOnlyDictionary<long, JsonObject> PullRequests { get { lock (gate) return new Dictionary<long, JsonObject>(pulls); } }

    public IEnumerable<JsonObject> Open => PullRequests.Values.Where(p => (string?)p["state"] == "open");

    public Dictionary<long, List<string>> Comments { get; } = [];

    /// <summary>Pull requests GraphQL enabled auto-merge on, with the merge method.</summary>
    public Dictionary<long, string> AutoMerge { get; } = [];

    public void Dispose() => Server.Dispose();

    private readonly Dictionary<long, (List<string> Steps, int Reads)> pullScripts = [];

    /// <summary>
    /// What a person or GitHub's auto-merge does between reads of one pull request: the n-th GET of it first applies the
    /// n-th step ("open"; "merged:&lt;commit&gt;"; "merged", whose commit <see cref="MergeWith"/> makes; "closed"); the last stays.
    /// </summary>
    public void ScriptPull(long number, params string[] steps)
    {
        lock (gate) pullScripts[number] = ([.. steps], 0);
    }

    /// <summary>Merges a pull request for a "merged" step (a publish test merges the branch on the real git server) and returns the commit on the base.</summary>
    public Func<JsonObject, string>? MergeWith { get; set; }

    private ContractResponse GetPull(ContractRequest request)
    {
        lock (gate)
        {
            if (Pull(request) is not { } pull)
                return NotFound();
            var number = (long)pull["number"]!;
            if (pullScripts.TryGetValue(number, out var script) && script.Steps.Count > 0)
            {
                pullScripts[number] = (script.Steps, script.Reads + 1);
                var step = script.Steps[Math.Min(script.Reads, script.Steps.Count - 1)];
                if (step.StartsWith("merged", StringComparison.Ordinal) && pull["merged"]!.GetValue<bool>() == false)
                {
                    var commit = step.StartsWith("merged:", StringComparison.Ordinal) ? step["merged:".Length..] : MergeWith!(pull);
                    pull["state"] = "closed";
                    pull["merged"] = true;
                    pull["merge_commit_sha"] = commit;
                    pull["merged_at"] = SchemaSample.Iso(DateTimeOffset.UtcNow);
                }
                else if (step == "closed")
                {
                    pull["state"] = "closed";
                }
            }
            return ContractResponse.Json(HttpStatusCode.OK, pull.DeepClone());
        }
    }

    /// <summary>Seeds an open pull request, as an earlier run (or a person) opened it.</summary>
    public JsonObject Seed(string head, string baseBranch, string title, string body)
    {
        Branches.Add(head);
        lock (gate) return Add(head, baseBranch, title, body, draft: false);
    }

    private Func<ContractRequest, ContractResponse> Repo(Func<ContractRequest, ContractResponse> handler) => request =>
        request.PathValues.GetValueOrDefault("owner") == Owner && request.PathValues.GetValueOrDefault("repo") == Repository
            ? handler(request)
            : NotFound();

    private static ContractResponse NotFound() => ContractResponse.Error(404, "Not Found");

    private ContractResponse GetBranch(ContractRequest request)
    {
        var name = request.PathValues["branch"];
        if (Git.Tip(name) is { } tip)
            return ContractResponse.Json(HttpStatusCode.OK, BranchJson(name, tip));
        if (Git.Branches.Count > 0)
            return ContractResponse.Error(404, "Branch not found");
        return Branches.Contains(name)
            ? ContractResponse.Json(HttpStatusCode.OK, Shaped("branch-with-protection", new JsonObject
            {
                ["name"] = name,
                ["commit"] = Shaped("commit", new JsonObject { ["sha"] = new string('a', 40), ["url"] = Api("commits/" + new string('a', 40)) }),
                ["protected"] = name == "main",
            }))
            : ContractResponse.Error(404, "Branch not found");
    }

    private ContractResponse List(ContractRequest request)
    {
        var state = request.QueryValue("state") ?? "open";
        var head = request.QueryValue("head");
        var baseBranch = request.QueryValue("base");
        lock (gate)
        {
            var found = pulls.Values
                .Where(p => state == "all" || (string?)p["state"] == state)
                .Where(p => head is null || head == $"{Owner}:{p["head"]!["ref"]}" || head == (string?)p["head"]!["ref"])
                .Where(p => baseBranch is null || baseBranch == (string?)p["base"]!["ref"])
                .OrderByDescending(p => (long)p["number"]!);
            return ContractResponse.Json(HttpStatusCode.OK, new JsonArray([.. found.Select(p => p.DeepClone())]));
        }
    }

    private ContractResponse Create(ContractRequest request)
    {
        var body = request.Json!.AsObject();
        var head = (string)body["head"]!;
        var baseBranch = (string)body["base"]!;
        var headBranch = head.Contains(':') ? head[(head.IndexOf(':') + 1)..] : head;
        lock (gate)
        {
            if (!Branches.Contains(baseBranch))
                return Validation("PullRequest", "base", "invalid");
            if (!AnyHeadExists && !Branches.Contains(headBranch))
                return Validation("PullRequest", "head", "invalid");
            if (pulls.Values.Any(p => (string?)p["state"] == "open" && (string?)p["head"]!["ref"] == headBranch && (string?)p["base"]!["ref"] == baseBranch))
                return new(422, new JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = $"A pull request already exists for {Owner}:{headBranch}." }),
                    ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                });
            var pull = Add(headBranch, baseBranch, (string?)body["title"] ?? "", (string?)body["body"] ?? "", (bool?)body["draft"] ?? false);
            return ContractResponse.Json(HttpStatusCode.Created, pull.DeepClone());
        }
    }

    private ContractResponse Update(ContractRequest request)
    {
        lock (gate)
        {
            if (Pull(request) is not { } pull)
                return NotFound();
            var body = request.Json?.AsObject() ?? [];
            foreach (var field in new[] { "title", "body", "state" })
            {
                if (body[field] is { } value)
                    pull[field] = value.DeepClone();
            }
            if ((string?)body["state"] == "closed")
                pull["closed_at"] = SchemaSample.Iso(DateTimeOffset.UtcNow);
            pull["updated_at"] = SchemaSample.Iso(DateTimeOffset.UtcNow);
            return ContractResponse.Json(HttpStatusCode.OK, pull.DeepClone());
        }
    }

    private ContractResponse AddLabels(ContractRequest request)
    {
        lock (gate)
        {
            if (Pull(request, "issue_number") is not { } pull)
                return NotFound();
            var json = request.Json;
            var names = (json is JsonArray array ? array : json!["labels"]!.AsArray()).Select(l => l is JsonObject o ? (string)o["name"]! : (string)l!);
            var labels = pull["labels"]!.AsArray();
            foreach (var name in names.Where(n => !labels.Any(l => (string?)l!["name"] == n)))
                labels.Add(Shaped("label", new JsonObject { ["id"] = labels.Count + 1, ["name"] = name, ["color"] = "ededed" }));
            return ContractResponse.Json(HttpStatusCode.OK, labels.DeepClone());
        }
    }

    private ContractResponse RequestReviewers(ContractRequest request)
    {
        lock (gate)
        {
            if (Pull(request) is not { } pull)
                return NotFound();
            var body = request.Json!.AsObject();
            foreach (var user in body["reviewers"]?.AsArray() ?? [])
                pull["requested_reviewers"]!.AsArray().Add(User((string)user!, 100 + pull["requested_reviewers"]!.AsArray().Count));
            foreach (var team in body["team_reviewers"]?.AsArray() ?? [])
                pull["requested_teams"]!.AsArray().Add(Shaped("team", new JsonObject { ["slug"] = (string)team!, ["name"] = (string)team! }));
            return ContractResponse.Json(HttpStatusCode.Created, pull.DeepClone());
        }
    }

    private ContractResponse Comment(ContractRequest request)
    {
        lock (gate)
        {
            if (Pull(request, "issue_number") is not { } pull)
                return NotFound();
            var number = (long)pull["number"]!;
            if (!Comments.TryGetValue(number, out var list))
                Comments[number] = list = [];
            list.Add((string)request.Json!["body"]!);
            return ContractResponse.Json(HttpStatusCode.Created, Shaped("issue-comment", new JsonObject
            {
                ["id"] = list.Count, ["body"] = list[^1], ["html_url"] = $"{pull["html_url"]}#issuecomment-{list.Count}",
                ["user"] = User("gitops-bot", 7, "Bot"),
            }));
        }
    }

    private ContractResponse DeleteRef(ContractRequest request)
    {
        var reference = request.PathValues["ref"];
        if (!reference.StartsWith("heads/", StringComparison.Ordinal))
            return Unprocessable("Reference does not exist");
        var branch = reference["heads/".Length..];
        lock (gate)
        {
            if (!Branches.Remove(branch) && !AnyHeadExists)
                return Unprocessable("Reference does not exist");
            DeletedBranches.Add(branch);
        }
        return ContractResponse.Empty(HttpStatusCode.NoContent);
    }

    /// <summary>POST /api/graphql: only the enablePullRequestAutoMerge mutation, its input checked as GitHub's schema types it.</summary>
    private ContractResponse GraphQl(ContractRequest request)
    {
        var body = request.Json as JsonObject;
        var query = (string?)body?["query"];
        var variables = body?["variables"] as JsonObject;
        if (query is null || !query.Contains("enablePullRequestAutoMerge", StringComparison.Ordinal) || variables is null)
            return Problem(request, "only the enablePullRequestAutoMerge mutation with variables is simulated");
        var method = (string?)variables["mergeMethod"];
        if (method is not ("MERGE" or "SQUASH" or "REBASE"))
            return Problem(request, $"mergeMethod '{method}' is not a PullRequestMergeMethod");
        lock (gate)
        {
            var pull = pulls.Values.FirstOrDefault(p => (string?)p["node_id"] == (string?)variables["pullRequestId"]);
            if (pull is null)
                return ContractResponse.Json(HttpStatusCode.OK, Errors("NOT_FOUND", $"Could not resolve to a node with the global id of '{variables["pullRequestId"]}'"));
            if (!AllowAutoMerge)
                return ContractResponse.Json(HttpStatusCode.OK, Errors("UNPROCESSABLE", "Pull request Auto merge is not allowed for this repository"));
            AutoMerge[(long)pull["number"]!] = method;
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["data"] = new JsonObject { ["enablePullRequestAutoMerge"] = new JsonObject { ["pullRequest"] = new JsonObject
                {
                    ["autoMergeRequest"] = new JsonObject { ["enabledAt"] = DateTimeOffset.UtcNow.ToString("O") },
                } } },
            });
        }
    }

    private ContractResponse Problem(ContractRequest request, string problem)
    {
        // Not described by the REST description; still held to what the GraphQL schema takes.
        Violations.Add($"{request}: {problem}");
        return ContractResponse.Error(400, problem);
    }

    /// <summary>GraphQL calls that GitHub's schema would reject (the REST server's check does not see them).</summary>
    public List<string> Violations { get; } = [];

    public void AssertHonoured()
    {
        Server.AssertHonoured();
        Assert.AreEqual(0, Violations.Count, string.Join("\n", Violations));
    }

    private static JsonObject Errors(string type, string message) => new()
    {
        ["data"] = new JsonObject { ["enablePullRequestAutoMerge"] = null },
        ["errors"] = new JsonArray(new JsonObject { ["type"] = type, ["message"] = message }),
    };

    /// <summary>A 422 as GitHub words it: validation-error needs the documentation_url beside the message.</summary>
    internal static ContractResponse Unprocessable(string message) => new(422, new JsonObject
    {
        ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest/git/refs", ["status"] = "422",
    });

    private static ContractResponse Validation(string resource, string field, string code) => new(422, new JsonObject
    {
        ["message"] = "Validation Failed",
        ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["field"] = field, ["code"] = code }),
        ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
    });

    private JsonObject? Pull(ContractRequest request, string parameter = "pull_number") =>
        long.TryParse(request.PathValues[parameter], out var number) && pulls.TryGetValue(number, out var pull) ? pull : null;

    private JsonObject Add(string head, string baseBranch, string title, string body, bool draft)
    {
        var number = nextNumber++;
        var web = $"https://github.example/{Owner}/{Repository}";
        var now = SchemaSample.Iso(DateTimeOffset.UtcNow);
        var pull = Shaped("pull-request", new JsonObject
        {
            ["id"] = 1000 + number,
            ["node_id"] = $"PR_kwDO{number:D6}",
            ["number"] = number,
            ["url"] = $"{Server.ApiRoot}repos/{Owner}/{Repository}/pulls/{number}",
            ["html_url"] = $"{web}/pull/{number}",
            ["state"] = "open",
            ["locked"] = false,
            ["title"] = title,
            ["body"] = body,
            ["draft"] = draft,
            ["user"] = User("gitops-bot", 7, "Bot"),
            ["labels"] = new JsonArray(),
            ["requested_reviewers"] = new JsonArray(),
            ["requested_teams"] = new JsonArray(),
            ["head"] = Ref(head),
            ["base"] = Ref(baseBranch),
            ["created_at"] = now,
            ["updated_at"] = now,
            ["merged"] = false,
            // Open: neither closed nor merged (Octokit reads "merged" from merged_at), no merge commit computed yet.
            ["closed_at"] = null,
            ["merged_at"] = null,
            ["merge_commit_sha"] = null,
            ["mergeable"] = null,
            ["mergeable_state"] = "unknown",
            ["auto_merge"] = null,
            ["author_association"] = "NONE",
            ["maintainer_can_modify"] = false,
            ["commits"] = 1,
            ["additions"] = 1,
            ["deletions"] = 1,
            ["changed_files"] = 1,
            ["comments"] = 0,
            ["review_comments"] = 0,
            ["diff_url"] = $"{web}/pull/{number}.diff",
            ["patch_url"] = $"{web}/pull/{number}.patch",
            ["issue_url"] = Api($"issues/{number}"),
            ["commits_url"] = Api($"pulls/{number}/commits"),
            ["comments_url"] = Api($"issues/{number}/comments"),
            ["statuses_url"] = Api("statuses/" + new string('b', 40)),
        });
        pulls[number] = pull;
        return pull;
    }

    private JsonObject Ref(string branch) => new()
    {
        ["label"] = $"{Owner}:{branch}",
        ["ref"] = branch,
        ["sha"] = new string('b', 40),
        ["user"] = User(Owner, 1, "Organization"),
        ["repo"] = RepositoryJson("repository"),
    };

    /// <param name="schema">"repository" (a pull request's head and base) or "full-repository" (GET the repository).</param>
    private JsonObject RepositoryJson(string schema) => Shaped(schema, new JsonObject
    {
        ["id"] = 42,
        ["node_id"] = "R_kgDOcontract",
        ["name"] = Repository,
        ["full_name"] = $"{Owner}/{Repository}",
        ["private"] = true,
        ["owner"] = User(Owner, 1, "Organization"),
        ["html_url"] = $"https://github.example/{Owner}/{Repository}",
        ["url"] = $"{Server.ApiRoot}repos/{Owner}/{Repository}",
        ["clone_url"] = $"https://github.example/{Owner}/{Repository}.git",
        ["default_branch"] = "main",
        ["allow_auto_merge"] = AllowAutoMerge,
    });

    /// <summary>A simple-user: an account as GitHub names it inside other answers.</summary>
    internal JsonObject User(string login, long id, string type = "User") => Shaped("simple-user", new JsonObject
    {
        ["login"] = login, ["id"] = id, ["node_id"] = $"U_{id}", ["type"] = type,
        ["url"] = $"{Server.ApiRoot}users/{login}", ["html_url"] = $"https://github.example/{login}",
    });

    /// <summary>
    /// An answer of one of the description's schemas (#/components/schemas/…): the fields the simulation keeps over the
    /// description's own sample of the rest, so every answer carries what GitHub always sends, and is checked against it.
    /// </summary>
    internal JsonObject Shaped(string schema, JsonObject fields) =>
        (JsonObject)SchemaSample.Shaped(Server.Description, "/components/schemas/" + schema, fields)!;
}
