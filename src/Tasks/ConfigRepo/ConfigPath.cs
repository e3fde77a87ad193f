using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// The one rule set for paths inside the config repository. The canonical form: '/'-separated segments, none of them
/// empty, '.', '..' or .git in any case (on Windows and macOS checkouts .GIT is the repository's own directory). A
/// user's path is brought to it once (<see cref="Normalize"/>); paths found in the tree are in it already.
/// </summary>
internal static class ConfigPath
{
    /// <summary>The canonical form of a user-written path (a leading "./", doubled or back slashes allowed).</summary>
    /// <exception cref="GitOpsException">
    /// GITOPS035 for a control character; GITOPS007 when the path is empty, absolute, or leaves the repository.
    /// </exception>
    public static string Normalize(string path)
    {
        TextRule.RejectControlCharacters(path, "GitOpsManifestPath (or a GitOpsManifest item)");
        var trimmed = path.Trim().Replace('\\', '/');
        if (trimmed.StartsWith('/') || System.IO.Path.IsPathRooted(trimmed) || trimmed.Contains(':'))
            throw new GitOpsException(Errors.ManifestPathOutsideRepository, path);

        var segments = trimmed.Split('/').Where(segment => segment is not ("" or ".")).ToList();
        if (segments.Count == 0 || !segments.All(IsCanonicalSegment))
            throw new GitOpsException(Errors.ManifestPathOutsideRepository, path);
        return string.Join('/', segments);
    }

    /// <summary>Whether <paramref name="path"/> is in the canonical form, as every path a commit writes must be.</summary>
    public static bool IsCanonical(string path) =>
        path.Length > 0 && !path.Contains('\\') && path.Split('/').All(segment => segment is not ("" or ".") && IsCanonicalSegment(segment));

    /// <summary>Whether a tree entry's name can be one segment of a canonical path (git's fsck refuses the others).</summary>
    public static bool IsCanonicalName(string name) =>
        name is not ("" or ".") && !name.Contains('/') && IsCanonicalSegment(name);

    private static bool IsCanonicalSegment(string segment) =>
        segment != ".." && !segment.Equals(".git", StringComparison.OrdinalIgnoreCase);
}
