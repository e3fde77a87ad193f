using System.Text.Json.Serialization;

namespace GitOps.Build.Verdict.ArgoCd;

// The parts of Argo CD's v1alpha1Application (assets/swagger.json) the wait reads; everything else is ignored.

internal sealed record ArgoCdApplication(ArgoCdApplicationStatus? Status);

internal sealed record ArgoCdApplicationStatus(
    ArgoCdSyncStatus? Sync,
    ArgoCdHealth? Health,
    ArgoCdOperationState? OperationState,
    DateTimeOffset? ReconciledAt,
    IReadOnlyList<ArgoCdCondition>? Conditions,
    IReadOnlyList<ArgoCdResource>? Resources);

internal sealed record ArgoCdSyncStatus(string? Status, string? Revision, IReadOnlyList<string>? Revisions);

internal sealed record ArgoCdHealth(string? Status, string? Message);

internal sealed record ArgoCdOperationState(string? Phase, string? Message, DateTimeOffset? FinishedAt, ArgoCdSyncResult? SyncResult);

internal sealed record ArgoCdSyncResult(string? Revision, IReadOnlyList<string>? Revisions, IReadOnlyList<ArgoCdResourceResult>? Resources);

internal sealed record ArgoCdResourceResult(string? Kind, string? Namespace, string? Name, string? Status, string? Message);

internal sealed record ArgoCdCondition(string? Type, string? Message);

internal sealed record ArgoCdResource(string? Kind, string? Namespace, string? Name, ArgoCdHealth? Health);

/// <summary>Argo CD's error body (runtimeError).</summary>
internal sealed record ArgoCdError(string? Error, string? Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ArgoCdApplication))]
[JsonSerializable(typeof(ArgoCdError))]
internal sealed partial class ArgoCdJson : JsonSerializerContext;
