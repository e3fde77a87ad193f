using System.Net;
using System.Text.Json.Nodes;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Verdict;

/// <summary>
/// Argo CD held to its published description (argoproj/argo-cd assets/swagger.json, Descriptions/argocd.json), with a
/// scripted agent: each application goes through the states a test gives it, one state per GET (the last one stays),
/// so the state moves over time as the wait polls. Argo CD itself cannot run here (no cluster); this is the fake.
/// An application nobody scripted is answered as Argo CD answers one the token may not see: 403 permission denied.
/// </summary>
public sealed class ArgoCdAgent : IDisposable
{
    public const string Token = "argocd-project-role-token-0123456789abcdef";

    private readonly object gate = new();
    private readonly Dictionary<string, List<JsonObject>> scripts = [];
    private readonly Dictionary<string, int> reads = [];

    public ArgoCdAgent()
    {
        Server = new ContractServer(ApiDescription.Load("argocd.json"), "", []);
        Server.AcceptedAuthorizations.Add("Bearer " + Token);
        Server.Handle("ApplicationService_Get", Get);
    }

    public ContractServer Server { get; }

    /// <summary>GITOPS_ARGOCD_SERVER for the client.</summary>
    public string Url => $"http://127.0.0.1:{Server.Port}";

    /// <summary>The variables that point a child build's wait at this agent (GITOPS_ARGOCD_SERVER and its token).</summary>
    public Dictionary<string, string?> Variables() => new() { ["GITOPS_ARGOCD_SERVER"] = Url, ["GITOPS_ARGOCD_TOKEN"] = Token };

    public IReadOnlyList<ContractRequest> Gets => [.. Server.RequestsTo("ApplicationService_Get")];

    public void Script(string application, params JsonObject[] states)
    {
        lock (gate) scripts[application] = [.. states];
    }

    /// <summary>
    /// For a deploy commit not known when the script is written (a build makes it): "{deploy}" in a state's revisions
    /// becomes what <paramref name="deployCommit"/> says when the state is served.
    /// </summary>
    public Func<string>? DeployCommit { get; set; }

    /// <summary>Runs before each GET is answered, with how many were answered before: lets a test act while the build waits.</summary>
    public Action<int>? BeforeGet { get; set; }

    private int answered;

    private ContractResponse Get(ContractRequest request)
    {
        var name = request.PathValues["name"];
        BeforeGet?.Invoke(Interlocked.Increment(ref answered) - 1);
        lock (gate)
        {
            if (!scripts.TryGetValue(name, out var states))
                return new ContractResponse(403, new JsonObject { ["error"] = "permission denied", ["code"] = 7, ["message"] = "permission denied" });
            var read = reads.GetValueOrDefault(name);
            reads[name] = read + 1;
            var status = WithoutNulls(states[Math.Min(read, states.Count - 1)].DeepClone());
            if (DeployCommit is { } deploy)
                status = JsonNode.Parse(status.ToJsonString().Replace("{deploy}", deploy(), StringComparison.Ordinal))!;
            return ContractResponse.Json(HttpStatusCode.OK, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "argocd" },
                ["spec"] = new JsonObject { ["project"] = "shop", ["source"] = new JsonObject { ["repoURL"] = "https://git.example.com/team/config.git", ["path"] = "apps/shop", ["targetRevision"] = "main" } },
                ["status"] = status,
            });
        }
    }

    // Argo CD's API leaves empty fields out (Go's omitempty); the description has no nullable strings.
    private static JsonNode WithoutNulls(JsonNode node)
    {
        if (node is JsonObject o)
            foreach (var property in o.ToList())
            {
                if (property.Value is null) o.Remove(property.Key);
                else WithoutNulls(property.Value);
            }
        else if (node is JsonArray a)
            foreach (var item in a.OfType<JsonNode>()) WithoutNulls(item);
        return node;
    }

    /// <summary>An application's status as Argo CD reports it (v1alpha1ApplicationStatus).</summary>
    public static JsonObject State(string sync, string revision, string health, string? phase = "Succeeded", bool reconciled = true,
        (string Kind, string Name, string Health, string? Message)[]? resources = null, string? healthMessage = null,
        string? operationMessage = null, string? condition = null)
    {
        var finished = new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);
        var status = new JsonObject
        {
            ["sync"] = new JsonObject { ["status"] = sync, ["revision"] = revision },
            ["health"] = new JsonObject { ["status"] = health, ["message"] = healthMessage },
            ["reconciledAt"] = (reconciled ? finished.AddSeconds(5) : finished.AddSeconds(-60)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["resources"] = new JsonArray([.. (resources ?? [("Deployment", "web", health, null)]).Select(r => (JsonNode)new JsonObject
            {
                ["kind"] = r.Kind, ["namespace"] = "shop", ["name"] = r.Name, ["status"] = sync,
                ["health"] = new JsonObject { ["status"] = r.Health, ["message"] = r.Message },
            })]),
        };
        if (phase is not null)
            status["operationState"] = new JsonObject
            {
                ["phase"] = phase,
                ["message"] = operationMessage ?? (phase == "Succeeded" ? "successfully synced (all tasks run)" : null),
                ["startedAt"] = finished.AddSeconds(-10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["finishedAt"] = finished.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["syncResult"] = new JsonObject { ["revision"] = revision },
            };
        if (condition is not null)
            status["conditions"] = new JsonArray(new JsonObject { ["type"] = "ComparisonError", ["message"] = condition });
        return status;
    }

    public void Dispose() => Server.Dispose();
}
