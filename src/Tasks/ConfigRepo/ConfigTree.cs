using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary><see cref="IConfigTree"/> over a commit's tree: reads blobs on demand, nothing is checked out.</summary>
/// <remarks>
/// Sizes come from the object headers (<paramref name="objects"/>), so a file can be refused for its size without
/// reading it: libgit2 loads a whole blob to answer <see cref="Blob.Size"/>.
/// </remarks>
internal sealed class ConfigTree(Tree root, string? tipMessage, ObjectDatabase objects) : IConfigTree
{
    public string? TipMessage => tipMessage;

    public ConfigTreeFile? FindFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ThrowIfThroughSymbolicLink(path);
        return root[path] is { TargetType: TreeEntryTargetType.Blob } entry ? new ConfigTreeFile(path, SizeOf(entry)) : null;
    }

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

    public IEnumerable<ConfigTreeFile> ListFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var start = directory.Trim('/') is { Length: > 0 } trimmed ? root[trimmed]?.Target as Tree : root;
        return start is null ? [] : Walk(start);
    }

    /// <summary>
    /// Refuses files a commit must not write: a path that is not repository-relative, or one where the tip has a
    /// directory or submodule (a blob there would silently replace it). A bug in the change, not the user's input.
    /// </summary>
    public void ThrowIfNotWritable(IEnumerable<ConfigFileChange> changes)
    {
        foreach (var change in changes)
        {
            if (!IsRepositoryRelative(change.Path))
                throw new ArgumentException($"'{change.Path}' is not a repository-relative file path ('/' separators, no '.', '..' or .git).", nameof(changes));
            if (Find(change.Path) is { Target: not Blob })
                throw new ArgumentException($"'{change.Path}' is a directory or submodule in the config repository, not a file.", nameof(changes));
        }
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
        var content = new byte[checked((int)blob.Size)];
        stream.ReadExactly(content);
        return content;
    }

    private long SizeOf(TreeEntry entry) => objects.RetrieveObjectMetadata(entry.Target.Id).Size;

    private IEnumerable<ConfigTreeFile> Walk(Tree tree)
    {
        foreach (var entry in tree)
        {
            switch (entry.Target)
            {
                case Blob:
                    yield return new ConfigTreeFile(entry.Path.Replace('\\', '/'), SizeOf(entry), entry.Mode == Mode.SymbolicLink);
                    break;
                case Tree subtree:
                    foreach (var path in Walk(subtree))
                        yield return path;
                    break;
            }
        }
    }
}
