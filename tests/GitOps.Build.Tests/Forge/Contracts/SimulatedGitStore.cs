using System.Security.Cryptography;
using System.Text;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// A forge's repository content as git keeps it: blobs, trees and commits under the ids git gives them (SHA-1 of the
/// object's header and body), and branch refs. The forge contracts serve their content and commit APIs from it, so
/// what the client writes is stored and read back exactly as a real server would, and a test can move a branch between
/// the client's read and its write (another pipeline's push) to force a lost race.
/// </summary>
public sealed class SimulatedGitStore
{
    public const string File = "100644";
    public const string Executable = "100755";
    public const string Link = "120000";
    public const string Directory = "040000";

    private readonly object gate = new();
    private readonly Dictionary<string, byte[]> blobs = [];
    private readonly Dictionary<string, IReadOnlyList<TreeEntry>> trees = [];
    private readonly Dictionary<string, SimulatedCommit> commits = [];
    private readonly Dictionary<string, string> refs = [];
    private readonly Dictionary<string, int> made = [];

    /// <summary>One entry of a tree: its name (one segment), mode, and the id of the blob or tree it names.</summary>
    public sealed record TreeEntry(string Name, string Mode, string Id)
    {
        public bool IsTree => Mode == Directory;
    }

    /// <summary>A commit as stored; <see cref="Author"/> and <see cref="Signature"/> as the client sent them (null: none).</summary>
    public sealed record SimulatedCommit(string Id, string Tree, IReadOnlyList<string> Parents, string Message, string? Author, string? Signature);

    /// <summary>Called with the branch just before a ref update is decided: a test moves the branch here to lose the client its race.</summary>
    public Action<string>? BeforeRefUpdate { get; set; }

    public IReadOnlyDictionary<string, string> Branches { get { lock (gate) return new Dictionary<string, string>(refs); } }

    /// <summary>
    /// A forge that lies (issue 20): its writes answer success, but the branch stays where it was (a hook or replica
    /// dropped the update). GitHub's and Azure DevOps' answers then name the branch as it is; the others' name only the commit.
    /// </summary>
    public bool DropsRefUpdates { get; set; }

    /// <summary>Bitbucket's POST src answers its 201 without the Location naming the commit (a proxy dropped the header).</summary>
    public bool OmitsCommitLocation { get; set; }

    /// <summary>A forge whose reads come from a replica that lags: after a write moved a branch, this many reads of its tip still give the old one.</summary>
    public int LaggingReads { get; set; }

    private readonly Dictionary<string, (string? Old, int Reads)> lagging = [];

    public string? Tip(string branch)
    {
        lock (gate)
        {
            if (lagging.TryGetValue(branch, out var lag) && lag.Reads > 0)
            {
                lagging[branch] = lag with { Reads = lag.Reads - 1 };
                return lag.Old;
            }
            return refs.GetValueOrDefault(branch);
        }
    }

    public SimulatedCommit? Commit(string id) { lock (gate) return commits.GetValueOrDefault(id); }

    public byte[]? Blob(string id) { lock (gate) return blobs.GetValueOrDefault(id); }

    public IReadOnlyList<TreeEntry>? Tree(string id) { lock (gate) return trees.GetValueOrDefault(id); }

    public string PutBlob(byte[] content)
    {
        var id = Id("blob", content);
        lock (gate) blobs[id] = content;
        return id;
    }

    public string PutTree(IEnumerable<TreeEntry> entries)
    {
        // Git's order: by name, a tree's name compared as if it ended with '/'.
        var sorted = entries.OrderBy(e => e.IsTree ? e.Name + "/" : e.Name, StringComparer.Ordinal).ToList();
        using var body = new MemoryStream();
        foreach (var entry in sorted)
        {
            body.Write(Encoding.ASCII.GetBytes((entry.IsTree ? "40000" : entry.Mode) + " "));
            body.Write(Encoding.UTF8.GetBytes(entry.Name));
            body.WriteByte(0);
            body.Write(Convert.FromHexString(entry.Id));
        }
        var id = Id("tree", body.ToArray());
        lock (gate) trees[id] = sorted;
        return id;
    }

    public string PutCommit(string tree, IReadOnlyList<string> parents, string message, string? author = null, string? signature = null)
    {
        var text = new StringBuilder($"tree {tree}\n");
        foreach (var parent in parents) text.Append($"parent {parent}\n");
        var who = author ?? "GitHub <noreply@github.com> 1700000000 +0000";
        text.Append($"author {who}\ncommitter {who}\n\n{message}");
        var id = Id("commit", Encoding.UTF8.GetBytes(text.ToString()));
        lock (gate)
        {
            commits[id] = new SimulatedCommit(id, tree, parents, message, author, signature);
            made.TryAdd(id, made.Count);
        }
        return id;
    }

    /// <summary>Sets a branch (a push by someone else, or the test's seed).</summary>
    public void SetBranch(string branch, string commit) { lock (gate) refs[branch] = commit; }

    /// <summary>A forge's write moving a branch: what <see cref="DropsRefUpdates"/> and <see cref="LaggingReads"/> make of it.</summary>
    public void UpdateBranch(string branch, string commit)
    {
        lock (gate)
        {
            if (DropsRefUpdates) return;
            if (LaggingReads > 0) lagging[branch] = (refs.GetValueOrDefault(branch), LaggingReads);
            refs[branch] = commit;
        }
        AfterRefUpdate?.Invoke(branch);
    }

    /// <summary>Called with the branch just after a write moved it: a test lands another pipeline's commit on top here, before the client reads the branch.</summary>
    public Action<string>? AfterRefUpdate { get; set; }

    /// <summary>
    /// Moves (or creates, <paramref name="expected"/> null) a branch only if it is where the client saw it, as a ref update
    /// without force: false when it moved (or, created, already exists).
    /// </summary>
    public bool TryMoveBranch(string branch, string? expected, string commit)
    {
        BeforeRefUpdate?.Invoke(branch);
        lock (gate)
        {
            var current = refs.GetValueOrDefault(branch);
            if (expected is null ? current is not null : current is null || !IsAncestor(current, commit))
                return false;
            UpdateBranch(branch, commit);
            return true;
        }
    }

    /// <summary>A commit on <paramref name="branch"/> (made if absent) whose tree is its parent's with <paramref name="files"/> written.</summary>
    public string CommitFiles(string branch, IReadOnlyDictionary<string, byte[]> files, string message, string mode = File)
    {
        var parent = Tip(branch);
        var baseTree = parent is null ? null : Commit(parent)!.Tree;
        var tree = WriteTree(baseTree, files.Select(f => (f.Key, mode, PutBlob(f.Value))));
        var commit = PutCommit(tree, parent is null ? [] : [parent], message);
        SetBranch(branch, commit);
        return commit;
    }

    public string CommitText(string branch, IReadOnlyDictionary<string, string> files, string message) =>
        CommitFiles(branch, files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value)), message);

    /// <summary>The tree <paramref name="baseTree"/> (null: empty) with each path set to the blob given, its directories made as needed.</summary>
    public string WriteTree(string? baseTree, IEnumerable<(string Path, string Mode, string Id)> files)
    {
        var entries = (baseTree is null ? [] : Tree(baseTree)!).ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var group in files.GroupBy(f => f.Path.Split('/')[0], StringComparer.Ordinal))
        {
            var direct = group.Where(f => !f.Path.Contains('/')).ToList();
            foreach (var file in direct)
                entries[group.Key] = new TreeEntry(group.Key, file.Mode, file.Id);
            var nested = group.Where(f => f.Path.Contains('/')).Select(f => (f.Path[(f.Path.IndexOf('/') + 1)..], f.Mode, f.Id)).ToList();
            if (nested.Count > 0)
            {
                var sub = entries.TryGetValue(group.Key, out var existing) && existing.IsTree ? existing.Id : null;
                entries[group.Key] = new TreeEntry(group.Key, Directory, WriteTree(sub, nested));
            }
        }
        return PutTree(entries.Values);
    }

    /// <summary>The entry at a path of a tree, not following links; null when there is none (or the path goes through a file or link).</summary>
    public TreeEntry? Find(string tree, string path)
    {
        TreeEntry? found = null;
        var current = tree;
        foreach (var segment in path.Split('/'))
        {
            if (current is null) return null;
            found = Tree(current)?.FirstOrDefault(e => e.Name == segment);
            if (found is null) return null;
            current = found.IsTree ? found.Id : null;
        }
        return found;
    }

    /// <summary>A file's bytes on a branch (null when absent).</summary>
    public byte[]? Read(string branch, string path) =>
        Tip(branch) is { } tip && Find(Commit(tip)!.Tree, path) is { IsTree: false } entry ? Blob(entry.Id) : null;

    public string ReadText(string branch, string path) => Encoding.UTF8.GetString(Read(branch, path) ?? throw new FileNotFoundException(path));

    /// <summary>Every blob under a tree, with its path: (path, entry).</summary>
    public IEnumerable<(string Path, TreeEntry Entry)> Walk(string tree, string prefix = "")
    {
        foreach (var entry in Tree(tree) ?? [])
        {
            yield return (prefix + entry.Name, entry);
            if (entry.IsTree)
                foreach (var below in Walk(entry.Id, prefix + entry.Name + "/"))
                    yield return below;
        }
    }

    public bool IsAncestor(string ancestor, string commit)
    {
        var pending = new Stack<string>([commit]);
        var seen = new HashSet<string>();
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (id == ancestor) return true;
            if (!seen.Add(id) || Commit(id) is not { } c) continue;
            foreach (var parent in c.Parents) pending.Push(parent);
        }
        return false;
    }

    /// <summary>The commits <paramref name="head"/> has that <paramref name="base"/> lacks (git rev-list base..head), newest first.</summary>
    public IReadOnlyList<string> Missing(string @base, string head)
    {
        var had = Reachable(@base);
        return [.. Reachable(head).Where(id => !had.Contains(id)).OrderByDescending(id => Date(id))];
    }

    /// <summary>The newest commit both reach (git merge-base); null for unrelated histories.</summary>
    public string? MergeBase(string one, string other)
    {
        var reached = Reachable(one);
        return Reachable(other).Where(reached.Contains).OrderByDescending(id => Date(id)).FirstOrDefault();
    }

    private HashSet<string> Reachable(string commit)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([commit]);
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (!seen.Add(id) || Commit(id) is not { } c) continue;
            foreach (var parent in c.Parents) pending.Push(parent);
        }
        seen.RemoveWhere(id => Commit(id) is null);
        return seen;
    }

    /// <summary>A commit's date as the forges answer it: one second after the commit made before it, so later commits are newer.</summary>
    public DateTimeOffset Date(string id) { lock (gate) return DateTimeOffset.FromUnixTimeSeconds(1700000000 + made.GetValueOrDefault(id)); }

    /// <summary>
    /// A path's history as a forge's path-filtered commit listing gives it, newest first: the commits, following first
    /// parents from <paramref name="from"/>, whose entry at the path (file or directory) differs from their first parent's.
    /// </summary>
    public IReadOnlyList<string> History(string from, string path)
    {
        var found = new List<string>();
        for (var commit = Commit(from); commit is not null;)
        {
            var parent = commit.Parents.Count > 0 ? Commit(commit.Parents[0]) : null;
            if (Find(commit.Tree, path)?.Id != (parent is null ? null : Find(parent.Tree, path)?.Id))
                found.Add(commit.Id);
            commit = parent;
        }
        return found;
    }

    /// <summary>
    /// What a commit changed against its first parent (none: against the empty tree), file by file as git diff-tree
    /// without rename detection reports it: each path whose entry (id or mode) differs, with both sides (null: absent).
    /// </summary>
    public IReadOnlyList<(string Path, TreeEntry? Old, TreeEntry? New)> Changes(string commit)
    {
        var made = Commit(commit) ?? throw new ArgumentException($"no commit {commit}", nameof(commit));
        var before = made.Parents.Count > 0 ? Files(Commit(made.Parents[0])!.Tree) : [];
        var after = Files(made.Tree);
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(path => (path, before.GetValueOrDefault(path), after.GetValueOrDefault(path)))
            .Where(c => c.Item2 != c.Item3)];
    }

    private Dictionary<string, TreeEntry> Files(string tree) => Walk(tree).Where(e => !e.Entry.IsTree).ToDictionary(e => e.Path, e => e.Entry, StringComparer.Ordinal);

    /// <summary>A page of <paramref name="items"/> (1-based <paramref name="page"/>), as the forges page their lists.</summary>
    public static IEnumerable<T> Page<T>(IEnumerable<T> items, string? page, string? size, int defaultSize) =>
        items.Skip((int.Parse(page ?? "1", System.Globalization.CultureInfo.InvariantCulture) - 1) * int.Parse(size ?? defaultSize.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture))
            .Take(int.Parse(size ?? defaultSize.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));

    public bool Has(string id) { lock (gate) return blobs.ContainsKey(id) || trees.ContainsKey(id) || commits.ContainsKey(id); }

    private static string Id(string type, byte[] body) =>
        Convert.ToHexString(SHA1.HashData([.. Encoding.ASCII.GetBytes($"{type} {body.Length}\0"), .. body])).ToLowerInvariant();
}
