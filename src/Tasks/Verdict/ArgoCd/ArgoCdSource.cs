namespace GitOps.Build.Verdict.ArgoCd;

/// <summary>
/// The verdict of Argo CD's API on each application of GitOpsArgoCdApplications. Asks for a normal refresh on the
/// first look when GitOpsArgoCdRefresh is true.
/// </summary>
/// <remarks>isDeployCommitOrLater: whether a revision Argo CD synced is the deploy commit or a descendant of it (in the
/// config repository's history), since a later deploy carries this one.</remarks>
internal sealed class ArgoCdSource(ArgoCdClient client, ArgoCdSettings settings, Func<string, bool> isDeployCommitOrLater) : IVerdictSource
{
    public const string SourceName = "Argo CD app";

    private bool refreshed;

    public async Task<IReadOnlyList<TargetObservation>> ObserveAsync(string commit, CancellationToken cancellationToken)
    {
        var refresh = settings.Refresh && !refreshed;
        var observations = new List<TargetObservation>();
        foreach (var name in settings.Applications)
        {
            var application = await client.GetApplicationAsync(name, refresh, cancellationToken).ConfigureAwait(false);
            observations.Add(ArgoCdVerdict.Observe(name.ToString(), application, isDeployCommitOrLater));
        }
        refreshed = true;
        return observations;
    }
}
