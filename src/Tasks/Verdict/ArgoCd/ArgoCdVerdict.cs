namespace GitOps.Build.Verdict.ArgoCd;

/// <summary>
/// Reads one application as `argocd app wait --sync --health --operation` and Kargo's checker do. Succeeded when it
/// holds all at once: synced at the deploy commit or a later one, sync status Synced, the operation Succeeded,
/// reconciled since the operation finished, health Healthy. Failed on a ComparisonError condition, or, at the deploy
/// commit, on health Degraded or an operation Failed/Error. Anything else is pending.
/// </summary>
internal static class ArgoCdVerdict
{
    public static TargetObservation Observe(string name, ArgoCdApplication application, Func<string, bool> isDeployCommitOrLater)
    {
        var status = application.Status;
        var sync = status?.Sync?.Status ?? "Unknown";
        var health = status?.Health?.Status ?? "Unknown";
        var operation = status?.OperationState;
        var revisions = (status?.Sync?.Revisions ?? []).Append(status?.Sync?.Revision).OfType<string>().Where(r => r.Length > 0).ToList();
        var atDeploy = revisions.Any(isDeployCommitOrLater);
        TargetObservation Make(TargetState state, string label, bool synced = false, string? detail = null) =>
            new(ArgoCdSource.SourceName, name, state, label, synced, detail);

        if (status?.Conditions?.FirstOrDefault(c => c.Type == "ComparisonError") is { } comparison)
            return Make(TargetState.Failed, "ComparisonError", detail: comparison.Message);

        if (!atDeploy)
        {
            var at = revisions.Count == 0 ? "no revision yet" : "at " + string.Join(", ", revisions.Select(Short)) + ", before the deploy";
            return Make(TargetState.Pending, $"{sync} ({at})");
        }

        var operationRevisions = (operation?.SyncResult?.Revisions ?? []).Append(operation?.SyncResult?.Revision).OfType<string>().ToList();
        var operationOurs = operationRevisions.Count == 0 || operationRevisions.Any(isDeployCommitOrLater);
        if (operation?.Phase is "Failed" or "Error" && operationOurs)
            return Make(TargetState.Failed, "sync " + operation.Phase, detail: Join(operation.Message, FailedResults(operation)));
        if (health == "Degraded")
            return Make(TargetState.Failed, "Degraded", detail: Join(status!.Health?.Message, Unhealthy(status)));

        var synced = sync == "Synced" && operation?.Phase is null or "Succeeded";
        if (sync != "Synced")
            return Make(TargetState.Pending, sync);
        if (operation?.Phase is "Running" or "Terminating")
            return Make(TargetState.Pending, "Syncing", detail: operation.Message);
        if (operation?.Phase is not "Succeeded")
            return Make(TargetState.Pending, $"Synced, operation {operation?.Phase ?? "not started"}");
        if (status!.ReconciledAt is not { } reconciled || operation.FinishedAt is not { } finished || reconciled < finished)
            return Make(TargetState.Pending, $"{health}{Counts(status)}, not reconciled since the sync", synced);
        if (health != "Healthy")
            return Make(TargetState.Pending, $"{health}{Counts(status)}", synced, Unhealthy(status));
        return Make(TargetState.Succeeded, "Healthy", synced);
    }

    private static string Short(string revision) => revision.Length > 7 ? revision[..7] : revision;

    private static string Counts(ArgoCdApplicationStatus status)
    {
        var withHealth = (status.Resources ?? []).Where(r => r.Health?.Status is not null).ToList();
        return withHealth.Count == 0 ? "" : $" ({withHealth.Count(r => r.Health!.Status == "Healthy")}/{withHealth.Count} healthy)";
    }

    private static string? Unhealthy(ArgoCdApplicationStatus status)
    {
        var resources = (status.Resources ?? []).Where(r => r.Health?.Status is { } h && h != "Healthy")
            .Select(r => $"{r.Kind} {(r.Namespace is { Length: > 0 } ns ? ns + "/" : "")}{r.Name}: {r.Health!.Status}"
                         + (r.Health.Message is { Length: > 0 } m ? $" ({m})" : ""))
            .ToList();
        return resources.Count == 0 ? null : "not healthy: " + string.Join(", ", resources);
    }

    private static string? FailedResults(ArgoCdOperationState operation)
    {
        var failed = (operation.SyncResult?.Resources ?? []).Where(r => r.Status is "SyncFailed")
            .Select(r => $"{r.Kind} {(r.Namespace is { Length: > 0 } ns ? ns + "/" : "")}{r.Name}: {r.Message}")
            .ToList();
        return failed.Count == 0 ? null : "failed: " + string.Join(", ", failed);
    }

    private static string? Join(params string?[] parts) =>
        parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList() is { Count: > 0 } list ? string.Join("; ", list) : null;
}
