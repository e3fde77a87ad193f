using System.IO.Compression;
using System.Text;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;
using WireTreeEntry = GitOps.Build.ConfigRepo.Wire.TreeEntry;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// The objects of a treeless clone and how they get there: protocol v2 over <see cref="IWireRoute"/> (ls-refs for the
/// branch, the tip commit and the top two levels of its tree with <c>deepen 1</c> and <c>filter tree:2</c>, then trees and blobs by
/// id as reads need them), written into the clone's object database so libgit2 reads and commits on them as usual,
/// and the push of the new objects alone through git-receive-pack.
/// </summary>
internal sealed class TreelessStore : IObjectSupply
{
    /// <summary>The largest answer read from the server: a directory's subtree, never the repository.</summary>
    internal const long MaxAnswerBytes = 256L * 1024 * 1024;

    private readonly IWireRoute route;
    private readonly Repository repository;
    private readonly Deadline openedWithin;
    private readonly string displayUrl;
    private readonly PackBounds packBounds;
    private readonly long maxReceived;
    private long received;
    private readonly Dictionary<string, List<WireTreeEntry>> trees = new(StringComparer.Ordinal);
    private readonly HashSet<string> completeTrees = new(StringComparer.Ordinal);
    // The tip's trees as the server sent them, and what each written object replaced: the push sends deltas against those.
    private readonly Dictionary<string, byte[]> treeContents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> replaced = new(StringComparer.Ordinal);
    private string rootTree = "";
    private bool capabilitiesChecked;

    private TreelessStore(IWireRoute route, Repository repository, Deadline deadline, string displayUrl, long maxReceived)
    {
        this.maxReceived = maxReceived;
        packBounds = PackBounds.For(Math.Min(MaxAnswerBytes, maxReceived), ReceiveLimit.MaxObjects);
        this.displayUrl = displayUrl;
        this.route = route;
        this.repository = repository;
        openedWithin = deadline;
    }

    public WireCounters Counters => route.Counters;

    /// <summary>
    /// The store, without an exchange: whether the server serves treeless fetches shows in the first answers. Where
    /// upload-pack's capabilities come with every answer (SSH) they are checked with each one; where they take an
    /// exchange of their own (HTTP: the advertisement), they are asked for only when a first request fails, to say why
    /// (or to fail as the advertisement fails, which is how a clone would have failed): no round trip when all is well.
    /// </summary>
    /// What a fetched pack declares is bounded by one answer's bytes (at most <paramref name="maxReceived"/>, what a
    /// clone may receive): <see cref="PackBounds"/>.
    public static TreelessStore Open(IWireRoute route, Repository repository, Deadline deadline, string displayUrl, long maxReceived) =>
        new(route, repository, deadline, displayUrl, maxReceived);

    private static string? Unavailable(V2Capabilities capabilities, IWireRoute route) =>
        !capabilities.IsV2 ? "it does not speak protocol v2" + (route.GreetsWithEveryAnswer ? " over SSH (its sshd passes GIT_PROTOCOL on only with AcceptEnv GIT_PROTOCOL)" : "")
        : !capabilities.Has("ls-refs") ? "its protocol v2 has no ls-refs"
        : !capabilities.FetchHas("filter") ? "its protocol v2 fetch does not advertise 'filter' (uploadpack.allowFilter)"
        : !capabilities.FetchHas("shallow") ? "its protocol v2 fetch does not advertise 'shallow'"
        : null;

    /// <summary>
    /// The branch (null: the one the remote's HEAD names) and its tip, or null when the remote has no such branch (the
    /// clone then says why, as it always has).
    /// </summary>
    public (string Branch, string Tip)? ListBranch(string? branch, Deadline deadline)
    {
        var prefixes = branch is null ? new[] { "HEAD", "refs/heads/" } : ["refs/heads/" + branch];
        var refs = FirstAnswer(deadline, () => LsRefs(prefixes, deadline));
        var name = branch is null
            ? refs.FirstOrDefault(r => r.Name == "HEAD")?.SymrefTarget is { } target && target.StartsWith("refs/heads/", StringComparison.Ordinal)
                ? target["refs/heads/".Length..]
                : null
            : branch;
        if (name is null) return null;
        var tip = refs.FirstOrDefault(r => r.Name == "refs/heads/" + name)?.Id;
        return tip is null ? null : (name, tip);
    }

    /// <summary>Where <paramref name="branch"/> is on the remote now; null when it is not there.</summary>
    public string? RemoteTip(string branch, Deadline deadline) =>
        Fallible(() => LsRefs(["refs/heads/" + branch], deadline)).FirstOrDefault(r => r.Name == "refs/heads/" + branch)?.Id;

    /// <summary>
    /// The refs under <paramref name="prefixes"/>, bounded as libgit2's ref advertisement is (<see cref="RefAdvertisementLimit"/>):
    /// an answer past its bytes is not read further (the clone that follows meets the same bound), one past its refs is GITOPS115.
    /// </summary>
    private IReadOnlyList<RemoteRef> LsRefs(IEnumerable<string> prefixes, Deadline deadline)
    {
        var answer = UploadPack(ProtocolV2.LsRefs(prefixes), deadline, RefAdvertisementLimit.MaxBytes);
        new RefAdvertisementLimit(displayUrl, flushes: 1).Observe(answer);
        return ProtocolV2.ParseLsRefs(answer);
    }

    /// <summary>The tip commit, its root tree and the trees of the top-level directories (nothing below them): one fetch.</summary>
    public void FetchTip(string tip, Deadline deadline)
    {
        if (!repository.ObjectDatabase.Contains(new ObjectId(tip)))
            // For a commit, tree:2 is the commit, its root tree and the root's entries: the first two levels of every
            // manifest's path (a repository's root holds few directories), saving the round trip of the second.
            FirstAnswer(deadline, () =>
            {
                Fetch([tip], deadline, deepen: 1, filter: "tree:2");
                return 0;
            });
        var commit = repository.Lookup<Commit>(tip) ?? throw new TreelessUnavailableException($"the fetch of {tip[..7]} did not bring the commit");
        rootTree = commit.Tree.Sha;
        if (!trees.ContainsKey(rootTree))
            Fetch([rootTree], deadline, deepen: null, filter: "tree:0");
    }

    public void EnsureFile(string path, Deadline? deadline)
    {
        var segments = path.Split('/');
        var id = rootTree;
        for (var depth = 0; depth < segments.Length; depth++)
        {
            var last = depth == segments.Length - 1;
            // The file's directory comes with its entries: the file is among them.
            var entry = Entries(id, withEntries: last, deadline).FirstOrDefault(e => e.Name == segments[depth]);
            if (entry is null || entry.IsSubmodule || entry.IsSymbolicLink) return;
            if (!entry.IsTree)
            {
                if (!repository.ObjectDatabase.Contains(new ObjectId(entry.Id)))
                    Fetch([entry.Id], deadline ?? openedWithin, deepen: null, filter: null);
                return;
            }
            if (last)
            {
                Entries(entry.Id, withEntries: false, deadline);
                return;
            }
            id = entry.Id;
        }
    }

    public void EnsureDirectory(string directory, Deadline? deadline)
    {
        if (DirectoryTree(directory, deadline) is not { } id)
            return;
        if (!completeTrees.Contains(id))
        {
            // The whole subtree, trees and blobs (the walk reads every file's size).
            Fetch([id], deadline ?? openedWithin, deepen: null, filter: null);
            MarkComplete(id);
        }
    }

    /// <summary>
    /// The trees under <paramref name="directory"/> level by level (every tree of one depth in one request, each alone:
    /// tree:0), then the files <paramref name="include"/> accepts in one request: a glob never brings the files it
    /// does not match.
    /// </summary>
    public void EnsureDirectory(string directory, Func<string, bool> include, Deadline? deadline)
    {
        if (DirectoryTree(directory, deadline) is not { } id || completeTrees.Contains(id))
            return;
        var within = deadline ?? openedWithin;
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var level = new List<(string Tree, string Prefix)> { (id, directory.Length > 0 ? directory + "/" : "") };
        for (var depth = 0; level.Count > 0; depth++)
        {
            if (depth > ConfigTree.MaxTreeDepth)
                throw new GitOpsException(Errors.ConfigTreeCorrupt, displayUrl, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"trees nested deeper than {ConfigTree.MaxTreeDepth:N0} levels (git's core.maxTreeDepth) under '{directory}/'"));
            var missing = level.Select(t => t.Tree).Where(tree => !trees.ContainsKey(tree)).Distinct().ToList();
            if (missing.Count > 0)
                Fetch(missing, within, deepen: null, filter: "tree:0");
            var next = new List<(string Tree, string Prefix)>();
            foreach (var (tree, prefix) in level)
            {
                var entries = trees.TryGetValue(tree, out var listed)
                    ? listed
                    : throw new TreelessUnavailableException($"the server did not send the tree {tree[..7]} it was asked for");
                foreach (var entry in entries)
                {
                    if (entry.IsTree)
                        next.Add((entry.Id, prefix + entry.Name + "/"));
                    else if (!entry.IsSubmodule && include(prefix + entry.Name) && !repository.ObjectDatabase.Contains(new ObjectId(entry.Id)))
                        blobs.Add(entry.Id);
                }
            }
            level = next;
        }
        if (blobs.Count > 0)
            Fetch([.. blobs], within, deepen: null, filter: null);
    }

    // The tree at a directory ("" = the root), its way there fetched; null when there is none.
    private string? DirectoryTree(string directory, Deadline? deadline)
    {
        var id = rootTree;
        if (directory.Length > 0)
        {
            foreach (var segment in directory.Split('/'))
            {
                var entry = Entries(id, withEntries: false, deadline).FirstOrDefault(e => e.Name == segment);
                if (entry is null || !entry.IsTree) return null;
                id = entry.Id;
            }
        }
        return id;
    }

    /// <summary>
    /// The tree that <paramref name="changes"/> make of the tip's, written with every new tree and blob on their paths
    /// into the object database; returns its id and the new objects (what the push sends besides the commit).
    /// </summary>
    public (string Tree, IReadOnlyList<WireObject> Written) WriteTree(IReadOnlyList<(string Path, byte[] Content)> changes, Deadline deadline)
    {
        var written = new Dictionary<string, WireObject>(StringComparer.Ordinal);
        var root = rootTree;
        foreach (var (path, content) in changes)
        {
            var blob = Store(new WireObject(GitObjectType.Blob, content), written);
            root = Replace(root, path.Split('/'), blob, deadline, written);
        }

        // Only what the final tree holds: a tree rewritten twice left its first version behind.
        var reachable = new HashSet<string>(StringComparer.Ordinal) { root };
        foreach (var (path, _) in changes)
        {
            var id = root;
            foreach (var segment in path.Split('/'))
            {
                id = trees[id].First(e => e.Name == segment).Id;
                reachable.Add(id);
                if (!trees.ContainsKey(id)) break;
            }
        }
        return (root, written.Values.Where(o => reachable.Contains(o.Id)).ToList());
    }

    /// <summary>A commit as the object database holds it (a loose object: what libgit2 writes).</summary>
    public WireObject ReadCommit(string id)
    {
        var file = Path.Combine(repository.Info.Path, "objects", id[..2], id[2..]);
        using var zlib = new ZLibStream(File.OpenRead(file), CompressionMode.Decompress);
        using var content = new MemoryStream();
        zlib.CopyTo(content);
        var bytes = content.ToArray();
        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul < 0 || !Encoding.ASCII.GetString(bytes, 0, nul).StartsWith("commit ", StringComparison.Ordinal))
            throw new InvalidOperationException($"GitOps.Build: {id} is not a loose commit.");
        var commit = new WireObject(GitObjectType.Commit, bytes[(nul + 1)..]);
        return commit.Id == id ? commit : throw new InvalidOperationException($"GitOps.Build: the loose object {id} does not hash to its name.");
    }

    /// <summary>Pushes <paramref name="objects"/> and moves <paramref name="reference"/> from <paramref name="oldId"/> to <paramref name="newId"/>, never forced.</summary>
    public RefUpdateStatus Push(string reference, string oldId, string newId, IReadOnlyCollection<WireObject> objects, Deadline deadline)
    {
        var request = ReceivePack.Request(reference, oldId, newId, PackWriter.Write(objects, DeltaBases(objects)));
        var answer = Exchange("git-receive-pack", request, deadline, MaxAnswerBytes);
        try
        {
            return ReceivePack.ParseReport(answer, reference);
        }
        catch (Exception e) when (e is WireFormatException or RemoteRefusedException)
        {
            return new RefUpdateStatus(reference, false, e.Message);
        }
    }

    // What the server holds that each new tree or blob was made of: the tip's tree at its path, the file it replaced.
    private Dictionary<string, (string Id, byte[] Content)> DeltaBases(IReadOnlyCollection<WireObject> objects)
    {
        var bases = new Dictionary<string, (string Id, byte[] Content)>(StringComparer.Ordinal);
        foreach (var item in objects)
        {
            if (!replaced.TryGetValue(item.Id, out var source) || source == item.Id)
                continue;
            if (treeContents.TryGetValue(source, out var tree))
                bases[item.Id] = (source, tree);
            else if (item.Type == GitObjectType.Blob && repository.Lookup<Blob>(source) is { } blob)
            {
                using var stream = blob.GetContentStream();
                using var content = new MemoryStream();
                stream.CopyTo(content);
                bases[item.Id] = (source, content.ToArray());
            }
        }
        return bases;
    }

    private string Replace(string? treeId, string[] segments, string blobId, Deadline deadline, Dictionary<string, WireObject> written)
    {
        var entries = treeId is null ? [] : new List<WireTreeEntry>(Entries(treeId, withEntries: false, deadline));
        var index = entries.FindIndex(e => e.Name == segments[0]);
        var existing = index < 0 ? null : entries[index];
        WireTreeEntry replacement;
        if (segments.Length == 1 && existing is { IsTree: false, IsSubmodule: false })
            replaced[blobId] = existing.Id;
        if (segments.Length == 1)
            // The file keeps its mode (an executable stays one); a new file is a plain file.
            replacement = new WireTreeEntry(existing is { IsTree: false, IsSubmodule: false } ? existing.Mode : "100644", segments[0], blobId);
        else
            replacement = new WireTreeEntry("40000", segments[0], Replace(existing?.IsTree == true ? existing.Id : null, segments[1..], blobId, deadline, written));
        if (index < 0) entries.Add(replacement);
        else entries[index] = replacement;
        var tree = new WireObject(GitObjectType.Tree, TreeEntries.Write(entries));
        var id = Store(tree, written);
        if (treeId is not null)
            // A tree rewritten again (two files in one directory) goes back to the tip's version: what the server has.
            replaced[id] = replaced.GetValueOrDefault(treeId, treeId);
        return id;
    }

    private string Store(WireObject item, Dictionary<string, WireObject> written)
    {
        Write(item);
        written[item.Id] = item;
        return item.Id;
    }

    private List<WireTreeEntry> Entries(string treeId, bool withEntries, Deadline? deadline)
    {
        if (!trees.TryGetValue(treeId, out var entries)
            || (withEntries && entries.Any(e => !e.IsSubmodule && !repository.ObjectDatabase.Contains(new ObjectId(e.Id)))))
        {
            // For a wanted tree, depth 0 is the tree itself: tree:0 brings it alone, tree:1 with its entries (not theirs).
            Fetch([treeId], deadline ?? openedWithin, deepen: null, filter: withEntries ? "tree:1" : "tree:0");
            entries = trees.TryGetValue(treeId, out var fetched)
                ? fetched
                : throw new TreelessUnavailableException($"the server did not send the tree {treeId[..7]} it was asked for");
        }
        return entries;
    }

    // With a stack of its own: a chain of 100,000 trees, one a level, would overflow the thread's if each were a call.
    private void MarkComplete(string treeId)
    {
        var pending = new Stack<string>([treeId]);
        while (pending.TryPop(out var id))
        {
            if (!completeTrees.Add(id) || !trees.TryGetValue(id, out var entries)) continue;
            foreach (var entry in entries.Where(e => e.IsTree))
                pending.Push(entry.Id);
        }
    }

    private void Fetch(IReadOnlyList<string> wants, Deadline deadline, int? deepen, string? filter)
    {
        IReadOnlyList<WireObject> objects;
        try
        {
            objects = Fallible(() =>
            {
                var answer = UploadPack(ProtocolV2.Fetch(wants, deepen, filter), deadline, MaxAnswerBytes);
                return PackReader.Read(ProtocolV2.ParseFetch(answer), packBounds);
            });
        }
        catch (PackBoundException e)
        {
            // Not a server that serves another way: a hostile pack, which a clone would be sent as well.
            throw new GitOpsException(e.ObjectCount ? Errors.ConfigTransferTooLarge : Errors.ConfigPackInflatesTooFar, displayUrl, e.Message,
                ReceiveLimit.Size(packBounds.MaxObjectBytes));
        }
        foreach (var item in objects)
        {
            deadline.ThrowIfExpired(displayUrl);
            Write(item, fromServer: true);
        }
    }

    /// <summary>One exchange with upload-pack; where its capabilities came with the answer, they are checked first.</summary>
    private byte[] UploadPack(byte[] request, Deadline deadline, long maxAnswerBytes)
    {
        var answer = Exchange("git-upload-pack", request, deadline, maxAnswerBytes);
        if (route.GreetsWithEveryAnswer && Unavailable(route.Greeting ?? V2Capabilities.None, route) is { } reason)
            throw new TreelessUnavailableException(reason);
        return answer;
    }

    /// <summary>
    /// One exchange, counted: a treeless clone's answers together may hold no more than a clone
    /// (<see cref="ConfigWriterOptions.MaxReceivedBytes"/>, GITOPS118), however many reads it makes; a server that answers each
    /// read of one file with a pack of what was not asked for would otherwise fill the disk an answer at a time.
    /// </summary>
    private byte[] Exchange(string service, byte[]? request, Deadline deadline, long maxAnswerBytes)
    {
        var answer = route.Exchange(service, request, deadline, maxAnswerBytes);
        received += answer.Length;
        return received <= maxReceived ? answer : throw new GitOpsException(Errors.ConfigTransferTooLarge, displayUrl, ReceiveLimit.Size(maxReceived));
    }

    private void Write(WireObject item, bool fromServer = false)
    {
        var id = item.Type switch
        {
            GitObjectType.Commit => repository.ObjectDatabase.Write<Commit>(item.Content),
            GitObjectType.Tree => repository.ObjectDatabase.Write<Tree>(item.Content),
            GitObjectType.Blob => repository.ObjectDatabase.Write<Blob>(item.Content),
            _ => null, // a tag: nothing a write-back reads
        };
        if (id is not null && id.Sha != item.Id)
            throw new InvalidOperationException($"GitOps.Build: libgit2 named {item.Id} {id.Sha}.");
        if (item.Type == GitObjectType.Tree && trees.TryAdd(item.Id, TreeEntries.Parse(item.Content)) && fromServer)
            treeContents[item.Id] = item.Content;
    }

    /// <summary>
    /// An exchange that may be the first to find the server does not serve treeless fetches (ls-refs: not protocol v2;
    /// the tip's fetch: no filters). Over HTTP its failure asks for the capabilities (once), which say why; when they
    /// do not, the failure stands, as the advertisement's own failure would (its status, its redirect, its error code).
    /// </summary>
    private T FirstAnswer<T>(Deadline deadline, Func<T> exchange)
    {
        if (route.GreetsWithEveryAnswer || capabilitiesChecked)
            return Fallible(exchange);
        try
        {
            return Fallible(exchange);
        }
        catch (Exception e) when (e is TreelessUnavailableException { InnerException: not AnswerPastBoundException } or LibGit2SharpException && deadline.KeepGoing())
        {
            capabilitiesChecked = true;
            V2Capabilities capabilities;
            try
            {
                capabilities = ProtocolV2.ParseCapabilities(Exchange("git-upload-pack", null, deadline, RefAdvertisementLimit.MaxBytes));
            }
            catch (WireFormatException format)
            {
                throw new TreelessUnavailableException("its capability advertisement cannot be read: " + format.Message);
            }
            if (Unavailable(capabilities, route) is { } reason)
                throw new TreelessUnavailableException(reason);
            // Served after all (the advertisement may have followed a redirect the request could not): once more.
            return Fallible(exchange);
        }
    }

    // A refusal or an answer that cannot be read means the server does not serve this way after all: clone instead.
    private static T Fallible<T>(Func<T> exchange)
    {
        try
        {
            return exchange();
        }
        catch (RemoteRefusedException e)
        {
            throw new TreelessUnavailableException($"it refused a fetch by id ({e.Message})");
        }
        catch (WireFormatException e)
        {
            throw new TreelessUnavailableException($"its answer cannot be read ({e.Message})", e);
        }
    }
}
