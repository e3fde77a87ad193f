using GitOps.Build.Diagnostics;

namespace GitOps.Build.Ci;

/// <summary>The commit a CI system's variables name: what sources exported without a .git directory were built from.</summary>
/// <param name="Sha">The full commit SHA, lower case.</param>
/// <param name="RepositoryUrl">The repository the system names, without credentials, when it does.</param>
/// <param name="Variable">The variable it came from.</param>
internal sealed record CiSourceCommit(string Sha, string? RepositoryUrl, string Variable)
{
    /// <summary>
    /// The running CI's own variable first; then each system's, in the documented order, for exported sources built
    /// by a system that is not detected (or a script that sets one of them by hand). Null when none is set.
    /// </summary>
    /// <exception cref="GitOpsException">GITOPS013 when the variable is not a full commit SHA.</exception>
    public static CiSourceCommit? Read(Func<string, string?> getEnvironmentVariable)
    {
        var detected = CiSystems.Detect(getEnvironmentVariable);
        var systems = detected is null ? CiSystems.All : CiSystems.All.Where(s => s != detected.System).Prepend(detected.System);
        foreach (var system in systems)
        {
            var sha = getEnvironmentVariable(system.CommitVariable)?.Trim();
            if (string.IsNullOrEmpty(sha)) continue;
            if (!IsFullSha(sha))
                throw new GitOpsException(Errors.SourceCommitInvalid, "The environment variable " + system.CommitVariable, sha, "a full hexadecimal commit SHA (40 or 64 digits)");

            var url = system.RepositoryUrl(CiSystems.NonEmpty(getEnvironmentVariable));
            return new CiSourceCommit(sha.ToLowerInvariant(), url is null ? null : UrlRedactor.Redact(url), system.CommitVariable);
        }
        return null;
    }

    // SHA-1 (40) or SHA-256 (64) object names.
    private static bool IsFullSha(string value) =>
        value.Length is 40 or 64 && value.All(Uri.IsHexDigit);
}
