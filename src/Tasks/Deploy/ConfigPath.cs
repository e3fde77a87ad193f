using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>Turns a user-written manifest path into a repository-relative one that cannot leave the repository.</summary>
internal static class ConfigPath
{
    public static string Normalize(string path)
    {
        var trimmed = path.Trim().Replace('\\', '/');
        if (trimmed.Length == 0 || trimmed.StartsWith('/') || System.IO.Path.IsPathRooted(trimmed) || trimmed.Contains(':'))
            throw new GitOpsException(Errors.ManifestPathOutsideRepository, path);

        var segments = new List<string>();
        foreach (var segment in trimmed.Split('/'))
        {
            if (segment is "" or ".") continue;
            // Case-insensitive: on Windows and macOS checkouts .GIT is the repository's own directory.
            if (segment == ".." || segment.Equals(".git", StringComparison.OrdinalIgnoreCase))
                throw new GitOpsException(Errors.ManifestPathOutsideRepository, path);
            segments.Add(segment);
        }
        if (segments.Count == 0)
            throw new GitOpsException(Errors.ManifestPathOutsideRepository, path);
        return string.Join('/', segments);
    }
}
