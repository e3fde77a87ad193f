using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Signing;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace GitOps.Build.Tasks;

/// <summary>
/// Base of every GitOps task: user errors become one MSBuild error with its GITOPS code and no stack trace;
/// anything unexpected is left to MSBuild, which reports it with the stack a bug report needs. Ctrl+C cancels
/// <see cref="CancellationToken"/>, which every wait in the core honours.
/// </summary>
public abstract partial class GitOpsTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource cancellation = new();

    /// <summary>Test seam: where environment variables (tokens, CI variables) are read.</summary>
    internal Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    public sealed override bool Execute()
    {
        try
        {
            ExecuteCore();
        }
        catch (GitOpsException e)
        {
            LogError(e);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            LogError(new GitOpsException(Errors.ConfigUpdateCancelled, CancelledWhat));
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>MSBuild calls this on Ctrl+C, from another thread, while <see cref="Execute"/> runs.</summary>
    public void Cancel() => cancellation.Cancel();

    /// <summary>Fires on Ctrl+C: pass it to every core call that waits.</summary>
    private protected CancellationToken CancellationToken => cancellation.Token;

    /// <summary>What a cancellation interrupts, for GITOPS032: the config repository's redacted address, once known.</summary>
    private protected string CancelledWhat { get; set; } = "";

    // Messages quote what the config repository and its server hold: CiText makes each line inert for CI runners.
    private protected void LogError(GitOpsException e) =>
        Log.LogError(subcategory: null, errorCode: e.Code, helpKeyword: null, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: CiText.LogLines(e.Message));

    protected abstract void ExecuteCore();

    /// <summary>An optional string parameter: null when empty or blank, else trimmed.</summary>
    private protected static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>GITOPS_TOKEN and GITOPS_USERNAME, checked: a NUL or line break inside would reach libgit2's HTTP headers.</summary>
    private protected GitCredentials? ReadCredentials()
    {
        foreach (var variable in new[] { "GITOPS_TOKEN", "GITOPS_USERNAME" })
            TextRule.RejectControlCharacters(GetEnvironmentVariable(variable)?.Trim(), "The environment variable " + variable);
        return GitCredentials.FromEnvironment(GetEnvironmentVariable);
    }

    /// <summary>
    /// The config repository's transports: HTTP as the parsed inputs say (proxies and a private CA, read from the
    /// environment once with them), SSH with the key and known hosts read here like the token (SshSettings).
    /// </summary>
    private protected ConfigWriterOptions TransportOptions(ConfigInputs inputs) => new()
    {
        Timeout = inputs.Timeout,
        Transports =
        [
            new GitHttpTransport(inputs.Http),
            new GitSshTransport(SshSettings.FromEnvironment(GetEnvironmentVariable)),
        ],
    };

    /// <summary>
    /// Everything a write to the config repository needs besides the request: the credentials and transports from the
    /// environment, the limits, and the commit signer, which is checked (and an OpenPGP key imported) here, before
    /// anything is cloned. A dry run commits nothing, so it signs nothing.
    /// </summary>
    private protected ConfigWrite PrepareWrite(ConfigInputs inputs)
    {
        var credentials = ReadCredentials();
        var options = TransportOptions(inputs) with { PushRetries = inputs.PushRetries };
        // Last: the signer owns files on disk, and nothing after it may fail before the caller disposes it.
        var signer = inputs.DryRun ? null : inputs.Signing?.CreateSigner(inputs.Timeout, cancellationToken: CancellationToken);
        if (signer is not null)
            BuildLog.Detail(Messages.CommitSigned(signer.Format));
        return new ConfigWrite(credentials, options with { Signer = signer });
    }

    /// <summary>
    /// Deploys <paramref name="requests"/> (one: a single deploy) to their config repository and branch in one commit,
    /// written as <paramref name="settings"/> say; the caller writes the outcome.
    /// </summary>
    private protected Deployment Deploy(IReadOnlyList<DeploymentRequest> requests, ConfigInputs settings, ConfigClonePrefetch? prefetch)
    {
        using var write = PrepareWrite(settings);
        if (TempDirectory.SweepStale(null, TempDirectory.ConfigClonePrefix) is > 0 and var swept)
            BuildLog.Detail(Messages.StaleClonesDeleted(swept, Path.GetTempPath()));
        // Key copies and GnuPG homes (their gpg-agents stopped) that killed builds left: never logged, nothing to say.
        SshIdentityFiles.SweepStale(null);
        OpenPgpCommitSigner.SweepStale(null, GetEnvironmentVariable);
        return Deploy(requests, settings, write, prefetch);
    }

    /// <summary>
    /// The deploy itself, with <paramref name="write"/> prepared by the caller; with GitOpsPullRequest, through the forge
    /// (whose GitHub App token, over HTTPS, serves git too).
    /// </summary>
    /// <remarks><paramref name="forge"/>: GitOpsCommitMethod=api's writer when the caller opened it already (to read through it first); else opened here.</remarks>
    private protected Deployment Deploy(IReadOnlyList<DeploymentRequest> requests, ConfigInputs settings, ConfigWrite write, ConfigClonePrefetch? prefetch,
        ForgeCommitSetup? forge = null)
    {
        using var opened = forge is null ? OpenForgeWriter(settings, write) : null;
        var forgeWriter = forge ?? opened;
        using var proposal = settings.PullRequest is { } pullRequest
            ? PullRequestSetup.Open(pullRequest, settings.Repository, settings.Http, write, GetEnvironmentVariable, settings.DryRun, BuildLog, CancellationToken, forgeWriter?.Access)
            : null;
        return new ConfigDeployer(proposal?.GitCredentials ?? write.Credentials, BuildLog, write.Options, proposal?.Step, forgeWriter?.Writer, forgeWriter?.Reader)
            .Deploy(requests, prefetch, CancellationToken);
    }

    /// <summary>GitOpsCommitMethod=api: the forge's writer and reader (only the reader where <paramref name="readOnly"/>); null for the git method.</summary>
    private protected ForgeCommitSetup? OpenForgeWriter(ConfigInputs settings, ConfigWrite write, bool readOnly = false) =>
        settings.CommitMethod == ConfigCommitMethod.Api ? ForgeCommitSetup.Open(settings, write, readOnly, GetEnvironmentVariable, BuildLog, CancellationToken) : null;

    private protected IBuildLog BuildLog => new MSBuildLog(Log, CiSystems.NonEmpty(GetEnvironmentVariable)("GITHUB_ACTIONS") is not null);

    /// <summary>Every line escaped by CiText on its way out, but for the CI commands the build gives itself.</summary>
    private sealed class MSBuildLog(TaskLoggingHelper log, bool gitHubActions) : IBuildLog
    {
        public void Important(string message) => log.LogMessage(MessageImportance.High, CiText.LogMessage(SecretValues.Scrub(message), gitHubActions));

        public void Detail(string message) => log.LogMessage(MessageImportance.Low, CiText.LogMessage(SecretValues.Scrub(message), gitHubActions));

        public void Warning(GitOpsError warning, params object?[] args) =>
            log.LogWarning(subcategory: null, warningCode: warning.Code, helpKeyword: null, file: null,
                lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: CiText.LogLines(warning.Format(args)));

        public void CiCommand(string command) => log.LogMessage(MessageImportance.High, command);
    }
}
