using System.Net;
using System.Text.Json.Nodes;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Verdict;

/// <summary>
/// An agent posting commit statuses (Flux's notification-controller, Argo CD Notifications) on GitHub, scripted over
/// the GitHub contract server (held to github/rest-api-description): the n-th poll of the deploy commit's statuses (or
/// check runs) gets the n-th state of the script, the last one stays. Any other commit has none. No forge or agent can
/// run here; this is the fake.
/// </summary>
public sealed class StatusAgent
{
    private readonly object gate = new();
    private readonly List<JsonObject[]> statuses = [];
    private readonly List<JsonObject[]> checks = [];
    private readonly Func<string> deployCommit;
    private int statusReads;
    private int checkReads;

    /// <param name="deployCommit">The commit the agent posts on; asked when a poll comes (a build makes it).</param>
    public StatusAgent(GitHubContract contract, Func<string> deployCommit)
    {
        this.deployCommit = deployCommit;
        // Each status and check run carries every field GitHub sends (the description's schema), the script's over them.
        contract.Server.Handle("repos/list-commit-statuses-for-ref", request => Answer(request, statuses, ref statusReads,
            list => new JsonArray([.. list.Select(s => (JsonNode)contract.Shaped("status", s))])));
        contract.Server.Handle("checks/list-for-ref", request => Answer(request, checks, ref checkReads,
            list => new JsonObject { ["total_count"] = list.Length, ["check_runs"] = new JsonArray([.. list.Select(c => (JsonNode)contract.Shaped("check-run", c))]) }));
    }

    /// <summary>Polls of the deploy commit's statuses so far.</summary>
    public int Reads { get { lock (gate) return statusReads; } }

    /// <summary>The next state of the commit's statuses (one per context).</summary>
    public void Statuses(params JsonObject[] state)
    {
        lock (gate) statuses.Add(state);
    }

    public void Checks(params JsonObject[] state)
    {
        lock (gate) checks.Add(state);
    }

    /// <summary>A status as GitHub lists it.</summary>
    public static JsonObject Status(string context, string state, string? description, string? url = null) => new()
    {
        ["url"] = "https://api.github.com/repos/team/config/statuses/0123456789abcdef0123456789abcdef01234567",
        ["id"] = 1, ["node_id"] = "SC_1", ["state"] = state, ["description"] = description, ["target_url"] = url, ["context"] = context,
        ["created_at"] = "2026-12-06T06:00:00Z", ["updated_at"] = "2026-12-06T06:00:00Z",
    };

    /// <summary>A check run as GitHub lists it.</summary>
    public static JsonObject Check(string name, string status, string? conclusion, string headSha) => new()
    {
        ["id"] = 4, ["head_sha"] = headSha, ["node_id"] = "CR_4", ["name"] = name, ["status"] = status, ["conclusion"] = conclusion,
        ["details_url"] = "https://argocd.example.com/applications/shop-prod", ["html_url"] = "https://github.com/team/config/runs/4",
        ["output"] = new JsonObject { ["title"] = conclusion == "failure" ? "Sync failed" : "Syncing", ["summary"] = "" },
    };

    private ContractResponse Answer(ContractRequest request, List<JsonObject[]> script, ref int reads, Func<JsonObject[], JsonNode> shape)
    {
        lock (gate)
        {
            if (!string.Equals(request.PathValues["ref"], deployCommit(), StringComparison.OrdinalIgnoreCase))
                return ContractResponse.Json(HttpStatusCode.OK, shape([]));
            var state = script.Count == 0 ? [] : script[Math.Min(reads, script.Count - 1)];
            reads++;
            return ContractResponse.Json(HttpStatusCode.OK, shape([.. state.Select(s => (JsonObject)s.DeepClone())]));
        }
    }
}
