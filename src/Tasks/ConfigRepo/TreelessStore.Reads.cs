using System.Globalization;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;
using WireTreeEntry = GitOps.Build.ConfigRepo.Wire.TreeEntry;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// What reads of the tree need, fetched for all of them at once: the walks of every path go down together, so the trees
/// they wait for at one step (one depth, for paths that start together) are one request, and the files they end at
/// are one more. One manifest is a batch of one; three in three directories cost what one does.
/// </summary>
internal sealed partial class TreelessStore
{
    /// <summary>
    /// The trees and blobs <paramref name="reads"/> need (what is here already is not asked for again): level by level,
    /// every tree the walks wait for in one request, then every file still missing in one request. A request's filter is
    /// the one that serves every tree in it without bringing a file a glob does not match: the whole subtree when every
    /// tree is a directory read whole, the tree with its entries (tree:1) when every one is a file's directory or read
    /// whole, the tree alone (tree:0) otherwise.
    /// </summary>
    public void Ensure(IReadOnlyList<TreeRead> reads, Deadline? deadline)
    {
        var within = deadline ?? openedWithin;
        var files = new HashSet<string>(StringComparer.Ordinal);
        var walks = reads.Select(Start).ToList();
        var walked = 0;
        while (true)
        {
            var waiting = new List<Walk>();
            var here = new Stack<Walk>(walks);
            while (here.TryPop(out var walk))
            {
                // Each tree a walk enters, counted once per path it is met on: trees naming one tree twice, 64 deep, are 2^64 walks.
                if (++walked > ConfigTree.MaxTreesWalked)
                    throw new GitOpsException(Errors.ConfigTreeCorrupt, displayUrl, ConfigTree.TooManyTreesWalked);
                if (walked % ConfigTree.EntriesBetweenChecks == 0)
                    within.ThrowIfExpired(displayUrl);
                if (!trees.ContainsKey(walk.Tree))
                    waiting.Add(walk);
                else
                    foreach (var next in Step(walk, Entries(walk.Tree, walk.Read.Path), files))
                        here.Push(next);
            }
            if (waiting.Count == 0)
                break;
            // One level: bounded by the deadline before it is asked for, as each file of a walk is.
            within.ThrowIfExpired(displayUrl);
            var wanted = waiting.Select(walk => walk.Tree).Distinct(StringComparer.Ordinal).ToList();
            Fetch(wanted, within, deepen: null, filter: FilterFor(waiting));
            if (wanted.FirstOrDefault(tree => !trees.ContainsKey(tree)) is { } absent)
                throw new TreelessUnavailableException($"the server did not send the tree {absent[..7]} it was asked for");
            walks = waiting;
        }
        if (files.Count > 0)
        {
            within.ThrowIfExpired(displayUrl);
            Fetch([.. files], within, deepen: null, filter: null);
        }
    }

    /// <summary>
    /// Where one read's walk is: in <paramref name="Tree"/>, with <paramref name="Segments"/> from <paramref name="Next"/> on
    /// still to go down (a path), or listing <paramref name="Tree"/>'s subtree, whose path is <paramref name="Prefix"/>
    /// (<paramref name="Segments"/> null), <paramref name="Depth"/> levels below the listed directory. A path walk with no
    /// segment left needed the tree alone (a file read that found a directory).
    /// </summary>
    private sealed record Walk(TreeRead Read, string Tree, string[]? Segments, int Next, string Prefix, int Depth = 0)
    {
        public bool Listing => Segments is null;

        /// <summary>What it needs of its tree: the files in it too (the file's directory, or a directory read whole).</summary>
        public bool WantsFiles => Listing ? Read.IsWholeDirectory : Next == Segments!.Length - 1 && Read.Below is null;

        /// <summary>Everything below its tree, trees and files.</summary>
        public bool WantsWhole => Listing && Read.IsWholeDirectory;
    }

    private Walk Start(TreeRead read) =>
        read.Path.Length == 0 && read.Below is not null
            ? new Walk(read, rootTree, null, 0, "")
            : new Walk(read, rootTree, read.Path.Split('/'), 0, "");

    private static string? FilterFor(IReadOnlyCollection<Walk> waiting) =>
        waiting.All(walk => walk.WantsWhole) ? null
        : waiting.All(walk => walk.WantsFiles) ? "tree:1"
        : "tree:0";

    // One step of a walk in a tree at hand: the walks it goes on with (none: it ended), the files it needs into files.
    private IEnumerable<Walk> Step(Walk walk, List<WireTreeEntry> entries, HashSet<string> files)
    {
        if (walk.Segments is not { } segments)
        {
            foreach (var entry in entries)
            {
                var path = walk.Prefix + entry.Name;
                if (entry.IsTree && walk.Depth >= ConfigTree.MaxTreeDepth)
                    // Git's own bound: a chain of trees one level each (100,000 in a pack of a few MB) is not walked to its end.
                    throw new GitOpsException(Errors.ConfigTreeCorrupt, displayUrl, string.Create(CultureInfo.InvariantCulture,
                        $"trees nested deeper than {ConfigTree.MaxTreeDepth:N0} levels (git's core.maxTreeDepth) under '{walk.Read.Path}/'"));
                if (entry.IsTree)
                    yield return walk with { Tree = entry.Id, Prefix = path + "/", Depth = walk.Depth + 1 };
                else if (!entry.IsSubmodule && walk.Read.Below!(path))
                    Need(entry.Id, files);
            }
            yield break;
        }
        if (walk.Next == segments.Length)
            yield break;
        var found = entries.FirstOrDefault(e => e.Name == segments[walk.Next]);
        if (found is null || found.IsSubmodule || found.IsSymbolicLink)
            yield break;
        var last = walk.Next == segments.Length - 1;
        if (!found.IsTree)
        {
            if (last && walk.Read.Below is null)
                Need(found.Id, files);
        }
        else if (!last || walk.Read.Below is null && !walk.Read.OrDirectory)
            // On the way down, or the directory a file read found: that tree alone.
            yield return walk with { Tree = found.Id, Next = walk.Next + 1 };
        else
            yield return new Walk(walk.Read.OrDirectory ? TreeRead.Directory(walk.Read.Path) : walk.Read, found.Id, null, 0, walk.Read.Path + "/");
    }

    private void Need(string blob, HashSet<string> files)
    {
        if (!repository.ObjectDatabase.Contains(new ObjectId(blob)))
            files.Add(blob);
    }

    // A tree's entries, read from the object database the first time something walks it (on the way to path).
    private List<WireTreeEntry> Entries(string tree, string path) =>
        trees.TryGetValue(tree, out var entries)
            ? entries ?? (trees[tree] = Parse(ReadLoose(tree, GitObjectType.Tree).Content, path))
            : throw new TreelessUnavailableException($"the server did not send the tree {tree[..7]} it was asked for");

    // Counted before it is parsed: a tree's entries take about seven times its bytes in memory.
    private List<WireTreeEntry> Parse(byte[] tree, string path) =>
        TreeEntries.HasMoreThan(tree, TreeEntries.MaxEntries)
            ? throw new GitOpsException(Errors.ConfigTreeTooLarge, displayUrl, TreeEntries.MaxEntries.ToString("N0", CultureInfo.InvariantCulture), path)
            : TreeEntries.Parse(tree);
}
