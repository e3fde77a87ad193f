using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

internal enum GitFailure
{
    Other,
    AuthenticationFailed,
    Forbidden,
    RepositoryNotFound,
    /// <summary>Network trouble worth retrying.</summary>
    Unreachable,
    /// <summary>
    /// The branch moved under us: between clone and push, or while the clone ran. libgit2 says "object not found" when
    /// a push negotiates against a remote tip the shallow clone lacks, and when a clone of the default branch is told a
    /// HEAD that is not in the depth-1 pack: git upload-pack reads HEAD and the branches one after the other, so a push
    /// landing in between advertises HEAD at the previous tip.
    /// </summary>
    Conflict,
    /// <summary>A progress callback asked libgit2 to stop (timeout or cancellation).</summary>
    Cancelled,
}

/// <summary>
/// Tells libgit2's failures apart. libgit2 has few exception types, so most of this reads its messages
/// (libgit2 1.8: "too many redirects or authentication replays", "unexpected http status code: 404", …).
/// </summary>
internal static class GitErrorClassifier
{
    private static readonly (GitFailure Failure, string[] Fragments)[] MessageFragments =
    [
        (GitFailure.AuthenticationFailed, ["authentication replays", "authentication required", "status code: 401", "unauthorized"]),
        (GitFailure.Forbidden, ["status code: 403", "forbidden"]),
        (GitFailure.RepositoryNotFound, ["status code: 404", "repository not found", "failed to resolve path", "could not find repository"]),
        (GitFailure.Unreachable,
        [
            "failed to connect", "connection refused", "timed out", "failed to resolve address", "could not resolve",
            "name or service not known", "network is unreachable", "no route to host", "connection reset",
            // The connection closed mid-transfer (server restarted, proxy dropped it).
            "unexpected eof", "early eof", "broken pipe", "failed to receive response",
            // The same, as the managed HTTP transport (HttpClient) words it.
            "response ended prematurely",
            "status code: 502", "status code: 503", "status code: 504",
        ]),
        (GitFailure.Conflict, ["object not found"]),
    ];

    /// <summary>Messages a server sends (via push status) when the branch moved under us.</summary>
    // "failed to update ref" is what git receive-pack reports when a concurrent push took the ref lock first; were it a
    // lasting server fault, the retries run out with GITOPS029 rather than looping.
    private static readonly string[] ConflictFragments = ["fetch first", "non-fast-forward", "stale info", "cannot lock ref", "failed to update ref"];

    public static GitFailure Classify(LibGit2SharpException exception) => exception switch
    {
        NonFastForwardException => GitFailure.Conflict,
        UserCancelledException => GitFailure.Cancelled,
        _ => ClassifyMessage(exception.Message),
    };

    public static bool IsConflict(string pushStatusMessage) =>
        ConflictFragments.Any(fragment => pushStatusMessage.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    /// <summary>The user-facing error for a failure that is not (or no longer) retried.</summary>
    public static GitOpsException ToGitOpsException(LibGit2SharpException exception, string displayUrl) =>
        Classify(exception) switch
        {
            GitFailure.AuthenticationFailed => new GitOpsException(exception, Errors.ConfigAuthenticationFailed, displayUrl),
            GitFailure.Forbidden => new GitOpsException(exception, Errors.ConfigAccessForbidden, displayUrl),
            GitFailure.RepositoryNotFound => new GitOpsException(exception, Errors.ConfigRepositoryNotFound, displayUrl),
            GitFailure.Unreachable => new GitOpsException(exception, Errors.ConfigServerUnreachable, displayUrl, Describe(exception)),
            _ => new GitOpsException(exception, Errors.ConfigGitFailed, displayUrl, Describe(exception)),
        };

    /// <summary>libgit2's message, single-line and without credentials (it may quote the URL).</summary>
    public static string Describe(Exception exception) =>
        UrlRedactor.Redact(exception.Message.ReplaceLineEndings(" ").Trim());

    private static GitFailure ClassifyMessage(string message)
    {
        foreach (var (failure, fragments) in MessageFragments)
        {
            if (fragments.Any(fragment => message.Contains(fragment, StringComparison.OrdinalIgnoreCase)))
                return failure;
        }

        return GitFailure.Other;
    }
}
