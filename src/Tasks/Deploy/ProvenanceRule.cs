using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// GitOpsImageDigest and GitOpsSourceCommit where they enter: with the Digest format the digest is written into the
/// manifest, and a bad one there breaks every later deploy to it.
/// </summary>
internal static class ProvenanceRule
{
    /// <exception cref="GitOpsException">GITOPS041 naming GitOpsImageDigest.</exception>
    public static string? ValidateDigest(string? digest)
    {
        if (digest is null) return null;
        // The same grammar as a digest inside an image reference (algorithm:hex, sha256 = 64 and sha512 = 128 lower-case hex digits).
        if (ImageReference.TryParse("digest-check@" + digest, out var reference) && reference.Digest == digest)
            return digest;
        throw new GitOpsException(Errors.ImageReferenceInvalid, TextRule.Printable(digest),
            "GitOpsImageDigest must be algorithm:hex, e.g. sha256: and 64 lower-case hex digits");
    }

    /// <summary>An abbreviation of at least 7 hex digits up to a full SHA-1 (40), or a full SHA-256 (64).</summary>
    /// <exception cref="GitOpsException">GITOPS013 naming GitOpsSourceCommit.</exception>
    public static string? ValidateSourceCommit(string? commit) =>
        commit is null || (commit.Length is (>= 7 and <= 40) or 64 && commit.All(char.IsAsciiHexDigit))
            ? commit
            : throw new GitOpsException(Errors.SourceCommitInvalid, "GitOpsSourceCommit", TextRule.Printable(commit),
                "a hexadecimal commit SHA (7 to 40 digits, or 64 for a SHA-256 repository)");
}
