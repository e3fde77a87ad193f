using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Git;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace GitOps.Build.Tasks;

/// <summary>
/// Base of every GitOps task: user errors become one MSBuild error with its GITOPS code and no stack trace;
/// anything unexpected is left to MSBuild, which reports it with the stack a bug report needs.
/// </summary>
public abstract class GitOpsTask : MSBuildTask
{
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
        return !Log.HasLoggedErrors;
    }

    private protected void LogError(GitOpsException e) =>
        Log.LogError(subcategory: null, errorCode: e.Code, helpKeyword: null, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: e.Message);

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

    private protected IBuildLog BuildLog => new MSBuildLog(Log);

    private sealed class MSBuildLog(TaskLoggingHelper log) : IBuildLog
    {
        public void Important(string message) => log.LogMessage(MessageImportance.High, message);

        public void Detail(string message) => log.LogMessage(MessageImportance.Low, message);

        public void Warning(GitOpsError warning, params object?[] args) =>
            log.LogWarning(subcategory: null, warningCode: warning.Code, helpKeyword: null, file: null,
                lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: warning.Format(args));
    }
}
