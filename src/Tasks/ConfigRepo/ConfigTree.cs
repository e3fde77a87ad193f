using System.Globalization;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary><see cref="IConfigTree"/> over a commit's tree: reads blobs on demand, nothing is checked out.</summary>
/// <remarks>
/// Sizes come from the object headers (<paramref name="objects"/>), so a file can be refused for its size without
/// reading it: libgit2 loads a whole blob to answer <see cref="Blob.Size"/>. Paths are canonical (<see cref="ConfigPath"/>).
/// A tree bound to a <paramref name="deadline"/> (GitOpsConfigTimeout, Ctrl+C) checks it at every directory a walk
/// enters, every <see cref="EntriesBetweenChecks"/> entries of a large one, and every file it finds or reads: a glob
/// over a huge repository stops there, with GITOPS030 or the cancellation, instead of after the whole walk.
/// In a treeless clone (<paramref name="supply"/>), the objects a read needs are fetched first: the trees on a file's
/// path and the file, or a directory's subtree; <see cref="Prefetch"/> fetches what several reads need together.
/// </remarks>
internal sealed class ConfigTree(Tree root, string? tipMessage, ObjectDatabase objects, Deadline? deadline = null, string? displayUrl = null, string? tipSha = null,
    IObjectSupply? supply = null) : IConfigTree
{
    /// <summary>The deepest nesting of trees a walk enters: git's own bound (core.maxTreeDepth), past which git refuses a tree.</summary>
    internal const int MaxTreeDepth = 4096;

    /// <summary>
    /// The most trees one read enters (each path once: a tree named twice is entered twice). Trees cannot name
    /// themselves, but 64 of two entries, each naming the next twice, are 2^64 paths: past this bound GITOPS104, not a
    /// walk that outlives every deadline.
    /// </summary>
    internal const int MaxTreesWalked = 100_000;

    /// <summary>Why a read stopped at <see cref="MaxTreesWalked"/>, on the clone and the treeless route alike.</summary>
    internal static string TooManyTreesWalked { get; } = string.Create(CultureInfo.InvariantCulture,
        $"more than {MaxTreesWalked:N0} trees under one path read (trees that name the same tree again and again, or a GitOpsManifestPath directory or glob wider than the manifests it means)");

    /// <summary>How many entries of one directory a walk visits between two looks at the deadline.</summary>
    internal const int EntriesBetweenChecks = 256;

    public string? TipMessage => tipMessage;

    public string? TipSha => tipSha;

    /// <summary>This tree, bounded by <paramref name="limit"/> (the round's): a clone made earlier may carry another's.</summary>
    public ConfigTree Within(Deadline limit, string repositoryForMessages) => new(root, tipMessage, objects, limit, repositoryForMessages, tipSha, supply);

    public ConfigTreeFile? FindFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ThrowIfExpired();
        supply?.Ensure([TreeRead.File(path)], deadline);
        ThrowIfThroughSymbolicLink(path);
        return root[path] is { TargetType: TreeEntryTargetType.Blob } entry ? new ConfigTreeFile(path, SizeOf(entry, path)) : null;
    }

    /// <exception cref="GitOpsException">GITOPS050 when the path is, or goes through, a symbolic link.</exception>
    public bool TryReadFile(string path, out byte[] content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ThrowIfExpired();
        supply?.Ensure([TreeRead.File(path)], deadline);
        ThrowIfThroughSymbolicLink(path);
        if (root[path] is { Target: Blob blob } entry)
        {
            SizeOf(entry, path);
            content = Read(blob);
            return true;
        }

        content = [];
        return false;
    }

    public IEnumerable<ConfigTreeFile> ListFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        supply?.Ensure([TreeRead.Directory(directory)], deadline);
        var start = directory.Length > 0 ? root[directory]?.Target as Tree : root;
        return start is null ? [] : Walk(start, null);
    }

    public IEnumerable<ConfigTreeFile> ListFiles(string directory, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(include);
        supply?.Ensure([TreeRead.Directory(directory, include)], deadline);
        var start = directory.Length > 0 ? root[directory]?.Target as Tree : root;
        return start is null ? [] : Walk(start, include);
    }

    /// <summary>
    /// Fetches, in a treeless clone, what <paramref name="reads"/> will need, all together: the reads themselves then ask
    /// for nothing more. Elsewhere everything is at hand already.
    /// </summary>
    public void Prefetch(IReadOnlyList<TreeRead> reads)
    {
        if (reads.Count > 0)
            supply?.Ensure(reads, deadline);
    }

    /// <summary>
    /// Refuses files a commit must not write: a path that is not canonical (<see cref="ConfigPath"/>), or one where the
    /// tip has a directory or submodule (a blob there would silently replace it). A bug in the change, not the user's input.
    /// </summary>
    public void ThrowIfNotWritable(IReadOnlyList<ConfigFileChange> changes)
    {
        Prefetch([.. changes.Where(change => ConfigPath.IsCanonical(change.Path)).Select(change => TreeRead.File(change.Path))]);
        foreach (var change in changes)
        {
            if (!ConfigPath.IsCanonical(change.Path))
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
    public TreeEntry? Find(string path)
    {
        supply?.Ensure([TreeRead.File(path)], deadline);
        return root[path];
    }

    // Raw bytes: GetContentStream applies no filters (no line-ending conversion), which is what a commit must compare.
    private static byte[] Read(Blob blob)
    {
        using var stream = blob.GetContentStream();
        var content = new byte[checked((int)blob.Size)];
        stream.ReadExactly(content);
        return content;
    }

    // A file entry may name a tree, commit or tag (the tree's mode says file, the object says otherwise): libgit2 reads
    // such a "blob" as garbage, so the object's own type is checked before its size or content is taken.
    private long SizeOf(TreeEntry entry, string path)
    {
        var metadata = objects.RetrieveObjectMetadata(entry.Target.Id);
        return metadata.Type == ObjectType.Blob
            ? metadata.Size
            : throw Corrupt($"'{path}' is a file entry that names a {metadata.Type.ToString().ToLowerInvariant()} ({entry.Target.Sha[..7]})");
    }

    private GitOpsException Corrupt(string what) => new(Errors.ConfigTreeCorrupt, displayUrl ?? "the config repository", what);

    private void ThrowIfExpired() => deadline?.ThrowIfExpired(displayUrl ?? "the config repository");

    // Files are passed over before their size is read: a treeless clone holds only the blobs included. Depth first, in
    // the trees' order, with a stack of its own: a chain of trees one level each (a pack of a few MB can hold 100,000)
    // would overflow the thread's stack if each level were a call.
    private IEnumerable<ConfigTreeFile> Walk(Tree start, Func<string, bool>? include)
    {
        var levels = new Stack<IEnumerator<TreeEntry>>();
        levels.Push(((IEnumerable<TreeEntry>)start).GetEnumerator());
        try
        {
            var entries = 0;
            var walked = 0;
            ThrowIfExpired();
            while (levels.Count > 0)
            {
                var level = levels.Peek();
                if (!level.MoveNext())
                {
                    levels.Pop().Dispose();
                    continue;
                }
                var entry = level.Current;
                if (++entries % EntriesBetweenChecks == 0)
                    ThrowIfExpired();
                // A name git refuses ("..", ".git", one holding '/') would make a path outside the tree, or another file's.
                if (!ConfigPath.IsCanonicalName(entry.Name))
                    throw Corrupt($"an entry named '{entry.Name}' in '{Directory(entry)}/'");
                switch (entry.Target)
                {
                    case Blob when entry.Path.Replace('\\', '/') is var file && include?.Invoke(file) != false:
                        yield return new ConfigTreeFile(file, SizeOf(entry, file), entry.Mode == Mode.SymbolicLink);
                        break;
                    case Tree subtree:
                        if (levels.Count >= MaxTreeDepth)
                            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"trees nested deeper than {MaxTreeDepth:N0} levels (git's core.maxTreeDepth) under '{Directory(entry)}/'"));
                        if (++walked > MaxTreesWalked)
                            throw Corrupt(TooManyTreesWalked);
                        ThrowIfExpired();
                        levels.Push(((IEnumerable<TreeEntry>)subtree).GetEnumerator());
                        break;
                }
            }
        }
        finally
        {
            while (levels.Count > 0)
                levels.Pop().Dispose();
        }
    }

    private static string Directory(TreeEntry entry)
    {
        var path = entry.Path.Replace('\\', '/');
        var directory = path.Length > entry.Name.Length ? path[..^(entry.Name.Length + 1)] : "";
        return directory.Length > 200 ? directory[..200] + "…" : directory;
    }
}
