using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary><see cref="IConfigTree"/> over a commit's tree: reads blobs on demand, nothing is checked out.</summary>
internal sealed class ConfigTree(Tree root, string? tipMessage = null) : IConfigTree
{
    public string? TipMessage => tipMessage;

    /// <exception cref="GitOpsException">GITOPS050 when the path is, or goes through, a symbolic link.</exception>
    public bool TryReadFile(string path, out byte[] content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ThrowIfThroughSymbolicLink(path);
        if (root[path]?.Target is Blob blob)
        {
            content = Read(blob);
            return true;
        }

        content = [];
        return false;
    }

    public IEnumerable<string> ListFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var start = directory.Trim('/') is { Length: > 0 } trimmed ? root[trimmed]?.Target as Tree : root;
        return start is null ? [] : Walk(start);
    }

    /// <summary>
    /// The files whose proposed content differs from this tree, in path order; new files have empty old content.
    /// </summary>
    public IReadOnlyList<ConfigFileChange> ChangesFrom(IReadOnlyDictionary<string, byte[]> proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var changes = new List<ConfigFileChange>();
        foreach (var (path, content) in proposed.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            if (!IsRepositoryRelative(path))
                throw new ArgumentException($"'{path}' is not a repository-relative file path ('/' separators, no '.', '..' or .git).", nameof(proposed));
            ArgumentNullException.ThrowIfNull(content, path);

            byte[] old = Find(path) switch
            {
                null => [],
                { Target: Blob blob } => Read(blob),
                // Writing a blob there would silently replace a whole directory (or submodule).
                _ => throw new ArgumentException($"'{path}' is a directory or submodule in the config repository, not a file.", nameof(proposed)),
            };
            if (!old.AsSpan().SequenceEqual(content))
                changes.Add(new ConfigFileChange(path, old, content));
        }

        return changes;
    }

    // A link's blob holds its target's path: reading it as the manifest, or resolving it, could reach outside the repository.
    private void ThrowIfThroughSymbolicLink(string path)
    {
        var segments = path.Split('/');
        for (var i = 1; i <= segments.Length; i++)
        {
            var prefix = string.Join('/', segments.Take(i));
            var entry = root[prefix];
            if (entry is null) return;
            if (entry.Mode == Mode.SymbolicLink)
                throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, prefix);
        }
    }

    /// <summary>The entry at a path (null if absent), for callers that need its mode.</summary>
    public TreeEntry? Find(string path) => root[path];

    private static bool IsRepositoryRelative(string path) =>
        path.Length > 0 && !path.Contains('\\') &&
        path.Split('/').All(segment => segment is not ("" or "." or "..") && !segment.Equals(".git", StringComparison.OrdinalIgnoreCase));

    // Raw bytes: GetContentStream applies no filters (no line-ending conversion), which is what a commit must compare.
    private static byte[] Read(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream(checked((int)blob.Size));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static IEnumerable<string> Walk(Tree tree)
    {
        foreach (var entry in tree)
        {
            switch (entry.Target)
            {
                case Blob:
                    yield return entry.Path.Replace('\\', '/');
                    break;
                case Tree subtree:
                    foreach (var path in Walk(subtree))
                        yield return path;
                    break;
            }
        }
    }
}
