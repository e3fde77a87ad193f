using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Build.Ci;
using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict;

namespace GitOps.Build.Deploy;

/// <summary>
/// The agent's verdict where the deploy's other facts went: a <c>verdict</c> member added to the result JSON, the CI
/// outputs (GitHub <c>deploy-verdict</c>, Azure <c>GitOpsDeployVerdict</c>, GitLab <c>GITOPS_DEPLOY_VERDICT</c>) and the
/// GitHub job summary. Written for a failure or a timeout too, before its error. An output that cannot be written is
/// warning GITOPS062, as for the deploy's outputs.
/// </summary>
internal sealed class VerdictOutputs(Func<string, string?> environment, IBuildLog log)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write(WaitOutcome outcome, string? resultFile)
    {
        var get = CiSystems.NonEmpty(environment);
        var state = outcome.StateName;
        if (resultFile is not null)
            WriteResultFile(outcome, resultFile);
        if (get("GITHUB_OUTPUT") is { } outputs)
            Try("step output file (GITHUB_OUTPUT)", outputs, outcome, () => File.AppendAllText(outputs, $"deploy-verdict={state}\n"));
        if (get(CiOutputWriter.GitHubStepSummary) is { } summary)
            Try($"job summary file ({CiOutputWriter.GitHubStepSummary})", summary, outcome, () => File.AppendAllText(summary, Markdown(outcome)));
        if (get("TF_BUILD") is not null)
        {
            log.CiCommand($"##vso[task.setvariable variable=GitOpsDeployVerdict]{state}");
            log.CiCommand($"##vso[task.setvariable variable=GitOpsDeployVerdict;isOutput=true]{state}");
        }
        if (get("GITLAB_CI") is not null)
        {
            var path = Path.Combine(get("CI_PROJECT_DIR") ?? Directory.GetCurrentDirectory(), "gitops.env");
            Try("dotenv report (CI_PROJECT_DIR/gitops.env)", path, outcome, () => File.AppendAllText(path, $"GITOPS_DEPLOY_VERDICT={state}\n"));
        }
    }

    /// <summary>Only the result file: its <c>verdict</c> member added to what the deploy wrote there.</summary>
    public void WriteResultFile(WaitOutcome outcome, string resultFile) =>
        Try("result file (GitOpsResultFile)", resultFile, outcome, () =>
        {
            var result = File.Exists(resultFile) ? JsonNode.Parse(File.ReadAllText(resultFile)) as JsonObject ?? [] : [];
            result["verdict"] = Json(outcome);
            File.WriteAllText(resultFile, result.ToJsonString(Indented) + "\n");
        });

    /// <summary>The result file's <c>rollback</c> member, beside the failed deploy's <c>verdict</c>.</summary>
    public void WriteRollback(string resultFile, WaitOutcome failed, JsonObject rollback) =>
        Try("result file (GitOpsResultFile)", resultFile, failed, () =>
        {
            var result = File.Exists(resultFile) ? JsonNode.Parse(File.ReadAllText(resultFile)) as JsonObject ?? [] : [];
            result["rollback"] = rollback;
            File.WriteAllText(resultFile, result.ToJsonString(Indented) + "\n");
        });

    /// <summary>
    /// What GitOpsRollbackOnFailure did: <c>reverted</c> (the revert commit, its files and the agent's verdict on it) or
    /// <c>refused</c> (the error: the branch moved, GITOPS160, or what stopped the write).
    /// </summary>
    public static JsonObject Rollback(string deployCommit, string branch, RollbackResult? rollback, WaitOutcome? revert, GitOpsException? error) => new()
    {
        ["state"] = rollback is null ? "refused" : "reverted",
        ["deployCommit"] = deployCommit,
        ["branch"] = branch,
        ["revertCommit"] = rollback?.RevertCommit,
        ["files"] = rollback is null ? null : new JsonArray([.. rollback.Files.Select(f => (JsonNode)f)]),
        ["code"] = error?.Code,
        ["message"] = error?.Message,
        ["verdict"] = revert is null ? null : Json(revert),
    };

    /// <summary>The result file's <c>verdict</c>: state, commit, seconds, the error's code and message, and each target.</summary>
    public static JsonObject Json(WaitOutcome outcome) => new()
    {
        ["state"] = outcome.StateName,
        ["commit"] = outcome.Commit,
        ["seconds"] = outcome.Seconds,
        ["code"] = outcome.Error?.Code,
        ["message"] = outcome.Error?.Message,
        ["targets"] = new JsonArray([.. outcome.Targets.Select(t => (JsonNode)new JsonObject
        {
            ["source"] = t.Source,
            ["name"] = t.Name,
            ["state"] = t.Label,
            ["result"] = t.State switch { TargetState.Succeeded => "success", TargetState.Failed => "failure", _ => "pending" },
            ["secondsToSync"] = t.SecondsToSync,
            ["secondsToHealthy"] = t.SecondsToHealthy,
            ["detail"] = t.Detail,
            ["link"] = t.Link,
        })]),
    };

    private static string Markdown(WaitOutcome outcome)
    {
        var text = new StringBuilder()
            .Append($"### GitOps: the agent's verdict on {CiText.MarkdownCode(outcome.ShortCommit)}: {outcome.StateName}\n\n");
        if (outcome.Targets.Count > 0)
        {
            text.Append("| Watched | State | Seconds to sync | Seconds to healthy |\n| --- | --- | --- | --- |\n");
            foreach (var t in outcome.Targets)
                text.Append($"| {CiText.MarkdownText(t.Source + " " + t.Name)} | {CiText.MarkdownText(t.Label)} | {Seconds(t.SecondsToSync)} | {Seconds(t.SecondsToHealthy)} |\n");
        }
        if (outcome.Error is { } error)
            text.Append('\n').Append(CiText.MarkdownText($"{error.Code}: {error.Message}")).Append('\n');
        return text.Append('\n').ToString();
    }

    private static string Seconds(double? value) => value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—";

    private void Try(string what, string path, WaitOutcome outcome, Action write)
    {
        try
        {
            // Read and written only as a regular file: a FIFO would block the build.
            UserFile.CheckOutput(path);
            write();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Warning(Errors.OutputNotWritten, what, path, e.Message, $"config commit {outcome.Commit}, the agent's verdict {outcome.StateName}");
        }
    }
}
