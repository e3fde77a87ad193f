using System.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.Git;

/// <summary>
/// A clone of the config repository started early (while the app compiles and its image is pushed), so the write-back
/// after the push only edits, commits and pushes. The clone may be a few seconds old by then: a push that loses to a
/// commit made meanwhile is retried from a fresh clone like any lost race (see <see cref="ConfigRepositoryWriter"/>).
/// A clone that failed is not reported here: the writer clones again and reports what goes wrong then.
/// </summary>
public sealed class ConfigClonePrefetch : IDisposable
{
    private readonly string repositoryUrl;
    private readonly string? branch;
    private readonly CancellationTokenSource cancellation = new();
    private readonly Task<ConfigRepositoryClone> clone;
    private int taken;

    private ConfigClonePrefetch(string repositoryUrl, string? branch, GitCredentials? credentials, ConfigWriterOptions options)
    {
        this.repositoryUrl = repositoryUrl;
        this.branch = string.IsNullOrEmpty(branch) ? null : branch;
        var location = ConfigRepositoryLocation.Parse(repositoryUrl);
        var deadline = new Deadline(options.Timeout, cancellation.Token);
        var handler = (credentials ?? location.EmbeddedCredentials)?.ToHandler();
        clone = Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            var result = ConfigRepositoryClone.Create(location, this.branch, handler, options.Ssh, options.WorkDirectory, deadline);
            Elapsed = clock.Elapsed;
            return result;
        });
    }

    /// <summary>Starts cloning <paramref name="branch"/> (null: the default branch) of <paramref name="repositoryUrl"/> in the background.</summary>
    /// <exception cref="Diagnostics.GitOpsException">
    /// The address is not one the writer accepts (GITOPS025) or a local path that does not exist (GITOPS024): found
    /// before the build compiles anything.
    /// </exception>
    public static ConfigClonePrefetch Start(string repositoryUrl, string? branch, GitCredentials? credentials, ConfigWriterOptions? options = null) =>
        new(repositoryUrl, branch, credentials, options ?? new ConfigWriterOptions());

    /// <summary>How long the clone took (for the log).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// The clone, if it is of what <paramref name="request"/> writes to and it succeeded; waits for it if still running.
    /// The caller owns (disposes) what it gets. At most one caller gets it.
    /// </summary>
    internal ConfigRepositoryClone? TryTake(ConfigCommitRequest request, out string? failure)
    {
        failure = null;
        // A push branch is resolved from the deployment's facts, after this clone started: clone for it then.
        if (request.RepositoryUrl != repositoryUrl || (string.IsNullOrEmpty(request.Branch) ? null : request.Branch) != branch
            || !string.IsNullOrEmpty(request.PushBranch) || Interlocked.Exchange(ref taken, 1) == 1)
        {
            return null;
        }

        try
        {
            return clone.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is LibGit2SharpException or Diagnostics.GitOpsException or IOException)
        {
            failure = GitErrorClassifier.Describe(e);
            return null;
        }
    }

    /// <summary>Stops a clone still running and deletes one nobody took (the build failed or wrote elsewhere).</summary>
    public void Dispose()
    {
        cancellation.Cancel();
        if (Interlocked.Exchange(ref taken, 1) == 0)
        {
            try
            {
                clone.GetAwaiter().GetResult().Dispose();
            }
            catch (Exception)
            {
                // Nothing to delete: a failed clone removes its own directory. Dispose runs when the build ends, where
                // an exception would only hide the build's own result.
            }
        }
        cancellation.Dispose();
    }
}
