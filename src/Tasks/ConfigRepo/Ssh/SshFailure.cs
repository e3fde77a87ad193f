using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// Tells ssh's failures apart by its stderr (OpenSSH's and git's own wording). Each one the user can fix becomes its
/// GITOPS08x error with the line that says why; the rest go on as network trouble for the writer's retry and GITOPS021/027.
/// </summary>
internal static class SshFailure
{
    private static readonly (GitOpsError Error, string[] Fragments)[] Known =
    [
        // Checked before the unknown key: ssh ends both with "Host key verification failed."
        (Errors.SshHostKeyChanged, ["has changed and you have requested strict checking", "REMOTE HOST IDENTIFICATION HAS CHANGED"]),
        (Errors.SshHostKeyUnknown, ["host key is known for", "Host key verification failed"]),
                // A key ssh could not read ("Load key …: invalid format", a mangled CI secret) ends here too: its line goes first.
        (Errors.SshKeyRefused, ["Permission denied (", "Too many authentication failures"]),
        (Errors.SshRepositoryNotFound, ["does not appear to be a git repository", "not a git repository", "repository not found"]),
    ];

    /// <summary>The error for ssh's end; <paramref name="transport"/> is what broke on our side of the pipe, if anything.</summary>
    public static Exception Classify(string displayUrl, string service, int? exitCode, IReadOnlyList<string> stderr, Exception? transport)
    {
        foreach (var (error, fragments) in Known)
        {
            if (Line(stderr, fragments) is { } line)
                return Coded(transport, error, displayUrl, error == Errors.SshKeyRefused && Line(stderr, ["Load key"]) is { } load ? $"{load} {line}" : line);
        }

        var last = stderr.Count > 0 ? stderr[^1] : null;
        // The same key just fetched, so a receive-pack refused at login is the key's (or the user's) missing write access.
        if (service == SshProcess.ReceivePack && exitCode is not (null or 0 or 255) && last is not null)
            return Coded(transport, Errors.SshPushRefused, displayUrl, last);

        // 255 is ssh's own failure (connection refused, DNS, reset): retryable network trouble in GitErrorClassifier's terms.
        var reason = last ?? transport?.Message ?? "the connection closed";
        return new IOException($"ssh ({service}) exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}: {reason}", transport);
    }

    // ssh's line ends with its own full stop, and the message goes on with one after it.
    private static GitOpsException Coded(Exception? transport, GitOpsError error, string displayUrl, string line)
    {
        var detail = line.TrimEnd().TrimEnd('.');
        return transport is null ? new GitOpsException(error, displayUrl, detail) : new GitOpsException(transport, error, displayUrl, detail);
    }

    private static string? Line(IReadOnlyList<string> stderr, string[] fragments)
    {
        // The most specific line: ssh prints the banner first and the reason last.
        foreach (var fragment in fragments)
        {
            var line = stderr.LastOrDefault(line => line.Contains(fragment, StringComparison.OrdinalIgnoreCase));
            if (line is not null)
                return line;
        }
        return null;
    }
}
