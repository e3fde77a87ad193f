using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict;
using GitOps.Build.Verdict.ArgoCd;

namespace GitOps.Build.Deploy;

/// <summary>
/// GitOpsWaitForDeploy and its sources, parsed once with the other config inputs (so that a bad setting is refused
/// before anything is pushed): the commit-status context patterns and the forge they are read from, the Argo CD
/// applications, the refresh switch and GitOpsWaitTimeout. Holds no secret: GITOPS_ARGOCD_TOKEN and the forge token
/// are read from the environment when the wait starts.
/// </summary>
internal sealed record DeployWaitOptions(
    IReadOnlyList<ContextPattern> StatusContexts,
    IReadOnlyList<ArgoCdApplicationName> ArgoCdApplications,
    bool ArgoCdRefresh,
    TimeSpan Timeout,
    string? Forge,
    string? ForgeApiUrl)
{
    /// <summary>GitOpsWaitTimeout's upper bound: a day.</summary>
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>
    /// Null when GitOpsWaitForDeploy is not true; otherwise the options, GITOPS142 without any source, GITOPS139 for a
    /// bad application name, GITOPS037 for a timeout outside 1 to 86400, GITOPS008 for a bad boolean.
    /// </summary>
    public static DeployWaitOptions? Read(string? waitForDeploy, string? waitTimeout, string? statusContexts, string? argoCdApplications,
        string? argoCdRefresh, string? forge, string? forgeApiUrl)
    {
        if (!Flag(waitForDeploy, "GitOpsWaitForDeploy"))
            return null;
        var patterns = ContextPattern.ParseList(TextRule.RejectControlCharacters(statusContexts, "GitOpsDeployStatusContexts"));
        var applications = ArgoCdSettings.ParseApplications(argoCdApplications);
        var refresh = Flag(argoCdRefresh, "GitOpsArgoCdRefresh");
        var timeout = NumberRule.Bounded(waitTimeout, "GitOpsWaitTimeout", 1, MaxTimeoutSeconds, WaitPolicy.DefaultTimeoutSeconds);
        if (patterns.Count == 0 && applications.Count == 0)
            throw new GitOpsException(Errors.WaitSourceMissing);
        return new DeployWaitOptions(patterns, applications, refresh, TimeSpan.FromSeconds(timeout), Blank(forge), Blank(forgeApiUrl));
    }

    private static bool Flag(string? value, string property) => Blank(value) is { } given && ManifestOptionsReader.ParseBoolean(given, property);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
