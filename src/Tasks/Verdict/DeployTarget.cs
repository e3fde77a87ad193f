using GitOps.Build.Diagnostics;

namespace GitOps.Build.Verdict;

/// <summary>Where one watched thing (an Argo CD application, a commit-status context) stands on the deploy commit.</summary>
internal enum TargetState
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>
/// One look at a watched thing. <paramref name="Label"/> is what a progress line shows ("OutOfSync",
/// "Progressing (3/4 healthy)"): a new label is a change of state, and only a change is logged.
/// <paramref name="Synced"/>: the agent has applied the deploy commit (Argo CD: synced at it; statuses: null, no such step).
/// <paramref name="Detail"/>: why it failed or what it waits for, in the agent's words; <paramref name="Link"/>: where to read more.
/// </summary>
/// What a server wrote is cut short here, the one way in for it (<see cref="ServerText"/>): every log line, error and
/// verdict quotes it from here.
internal sealed record TargetObservation(string Source, string Name, TargetState State, string Label, bool? Synced = null,
    string? Detail = null, string? Link = null)
{
    public string Name { get; init; } = ServerText.Brief(Name);

    public string Label { get; init; } = ServerText.Brief(Label);

    public string? Detail { get; init; } = ServerText.BriefOrNull(Detail, ServerText.MaxDetailLength);

    // A link cut short would lead elsewhere: one that long is no link to show.
    public string? Link { get; init; } = Link is { Length: > 2048 } || Link?.AsSpan().IndexOfAny('\r', '\n') >= 0 ? null : Link;

    /// <summary>"Argo CD app shop-prod", "status kustomization/apps": how messages name it.</summary>
    public string Display => $"{Source} {Name}";
}

/// <summary>The verdict on one watched thing, with the seconds from the commit landing to its sync and to its success.</summary>
internal sealed record TargetVerdict(string Source, string Name, TargetState State, string Label, double? SecondsToSync,
    double? SecondsToHealthy, string? Detail, string? Link);

/// <summary>What the agent reported for the deploy commit: every target succeeded, or the wait threw.</summary>
internal sealed record AgentVerdict(string Commit, IReadOnlyList<TargetVerdict> Targets, double Seconds)
{
    public bool Succeeded => Targets.All(target => target.State == TargetState.Succeeded);
}
