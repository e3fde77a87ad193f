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
/// id as reads need them, batched: <see cref="Ensure"/>), written into the clone's object database so libgit2 reads and
/// commits on them as usual, and the push of the new objects alone through git-receive-pack.
/// </summary>
/// <remarks>
/// What it keeps in memory: the ids of the trees it was sent or wrote (<see cref="trees"/>), the entries of those a read
/// or the commit walked through, the ids of the trees the server sent (delta bases) and what each written object
/// replaced. Objects themselves go to the clone's object database on disk, trees and blobs alike; an answer is held only
/// while it is read (at most <see cref="MaxAnswerBytes"/>). Nothing else grows with the repository: the trees it knows
/// are the tip's top two levels (filter tree:2), those on the paths read, the entries of the directories whose files were
/// read, and the subtrees a directory or glob listed.
/// </remarks>
internal sealed partial class TreelessStore : IObjectSupply
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
    // Every tree in the object database, with its entries once something read them (parsed from disk then).
    private readonly Dictionary<string, List<WireTreeEntry>?> trees = new(StringComparer.Ordinal);
    // The trees the server sent, and what each written object replaced: the push sends deltas against those.
    private readonly HashSet<string> serverTrees = new(StringComparer.Ordinal);
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
    private (string Branch, string Tip)? ListBranch(string? branch, Deadline deadline)
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

    /// <summary>
    /// The branch (null: the one the remote's HEAD names) and its tip, fetched as <see cref="FetchTip"/> fetches it; null
    /// when the remote has no such branch. A named branch is fetched by name where the server serves it (want-ref: one
    /// round trip, not ls-refs and a fetch, <see cref="TryFetchByName"/>); the remote's HEAD takes ls-refs (its symref).
    /// </summary>
    public (string Branch, string Tip)? FetchBranch(string? branch, Deadline deadline)
    {
        if (branch is not null && TryFetchByName(branch, deadline) is { } fetched)
            return (branch, fetched);
        if (ListBranch(branch, deadline) is not var (name, tip))
            return null;
        FetchTip(tip, deadline);
        return (name, tip);
    }

    /// <summary>Why the server's fetch by name was not used (once, then ls-refs for good); null while it is.</summary>
    public string? RefInWantDeclined { get; private set; }

    /// <summary>
    /// The tip of <paramref name="branch"/> and what <see cref="FetchTip"/> fetches, in one fetch with
    /// <c>want-ref refs/heads/branch</c>; null (and why, in <see cref="RefInWantDeclined"/>) when the server does not serve
    /// it: then ls-refs and a fetch, as without it. Over SSH only while upload-pack's greeting advertises ref-in-want (the
    /// first exchange learns it with its answer); over HTTP, where asking would cost the round trip this saves, the first
    /// fetch tries and a server that refuses it (git without uploadpack.allowRefInWant dies on the line; an unknown branch
    /// is an ERR) is asked the other way. The tip is only ever the one the wanted-refs section names for this very ref:
    /// an answer without it, or naming another ref, is not used (its objects are not written).
    /// </summary>
    private string? TryFetchByName(string branch, Deadline deadline)
    {
        if (RefInWantDeclined is not null)
            return null;
        if (route.GreetsWithEveryAnswer && route.Greeting is { } known && !known.FetchHas("ref-in-want"))
            return DeclineRefInWant("its protocol v2 fetch does not advertise 'ref-in-want' (uploadpack.allowRefInWant)");
        var reference = "refs/heads/" + branch;
        FetchAnswer fetched;
        try
        {
            var answer = UploadPack(ProtocolV2.Fetch([], deepen: 1, filter: "tree:2", wantRef: reference), deadline, MaxAnswerBytes);
            fetched = ProtocolV2.ParseFetchAnswer(answer);
        }
        catch (Exception e) when (e is RemoteRefusedException or WireFormatException and not AnswerPastBoundException
            || (e is LibGit2SharpException && deadline.KeepGoing()))
        {
            // Over SSH the greeting that came with the refusal may say why (no filters at all: clone, as ls-refs would
            // have found); an unknown branch is said by ls-refs next.
            if (route.GreetsWithEveryAnswer && route.Greeting is { } greeted && Unavailable(greeted, route) is { } reason)
                throw new TreelessUnavailableException(reason);
            var why = route.GreetsWithEveryAnswer && route.Greeting is { } greeting && !greeting.FetchHas("ref-in-want")
                ? "its protocol v2 fetch does not advertise 'ref-in-want' (uploadpack.allowRefInWant)"
                : "its fetch by name failed (" + ServerText.Brief(UrlRedactor.Redact(e.Message)) + ")";
            return DeclineRefInWant(why);
        }
        catch (AnswerPastBoundException e)
        {
            throw new TreelessUnavailableException($"its answer cannot be read ({e.Message})", e);
        }
        if (route.GreetsWithEveryAnswer && !(route.Greeting?.FetchHas("ref-in-want") ?? false))
            return DeclineRefInWant("its protocol v2 fetch does not advertise 'ref-in-want' (uploadpack.allowRefInWant)");
        if (fetched.WantedRefs is not [var wanted] || wanted.Name != reference)
            return DeclineRefInWant(fetched.WantedRefs.Count == 0
                ? $"its answer to want-ref {reference} has no wanted-refs section"
                : $"its answer to want-ref {reference} named '{ServerText.Brief(fetched.WantedRefs[0].Name)}'");
        WritePack(fetched.Pack, deadline);
        ReadTip(wanted.Id, deadline);
        return wanted.Id;
    }

    private string? DeclineRefInWant(string reason)
    {
        RefInWantDeclined = reason;
        return null;
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
        ReadTip(tip, deadline);
    }

    private void ReadTip(string tip, Deadline deadline)
    {
        var commit = repository.Lookup<Commit>(tip) ?? throw new TreelessUnavailableException($"the fetch of {tip[..7]} did not bring the commit");
        rootTree = commit.Tree.Sha;
        if (!trees.ContainsKey(rootTree))
            Fetch([rootTree], deadline, deepen: null, filter: "tree:0");
    }

    /// <summary>
    /// The tree that <paramref name="changes"/> make of the tip's, written with every new tree and blob on their paths
    /// into the object database; returns its id and the new objects (what the push sends besides the commit).
    /// </summary>
    public (string Tree, IReadOnlyList<WireObject> Written) WriteTree(IReadOnlyList<(string Path, byte[] Content)> changes, Deadline deadline)
    {
        // The trees on the paths (the reads that made the changes fetched them: nothing is asked for then).
        Ensure([.. changes.Select(change => TreeRead.File(change.Path))], deadline);
        var written = new Dictionary<string, WireObject>(StringComparer.Ordinal);
        var root = rootTree;
        foreach (var (path, content) in changes)
        {
            var blob = Store(new WireObject(GitObjectType.Blob, content), written);
            root = Replace(root, path.Split('/'), blob, written, path);
        }

        // Only what the final tree holds: a tree rewritten twice left its first version behind.
        var reachable = new HashSet<string>(StringComparer.Ordinal) { root };
        foreach (var (path, _) in changes)
        {
            var id = root;
            foreach (var segment in path.Split('/'))
            {
                id = Entries(id, path).First(e => e.Name == segment).Id;
                reachable.Add(id);
                if (!trees.ContainsKey(id)) break;
            }
        }
        return (root, written.Values.Where(o => reachable.Contains(o.Id)).ToList());
    }

    /// <summary>A commit as the object database holds it (a loose object: what libgit2 writes).</summary>
    public WireObject ReadCommit(string id) => ReadLoose(id, GitObjectType.Commit);

    // An object libgit2 wrote (every object here is loose: ObjectDatabase.Write), checked against its name.
    private WireObject ReadLoose(string id, GitObjectType type)
    {
        var file = Path.Combine(repository.Info.Path, "objects", id[..2], id[2..]);
        using var zlib = new ZLibStream(File.OpenRead(file), CompressionMode.Decompress);
        using var content = new MemoryStream();
        zlib.CopyTo(content);
        var bytes = content.ToArray();
        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul < 0 || !Encoding.ASCII.GetString(bytes, 0, nul).StartsWith(WireObject.TypeName(type) + " ", StringComparison.Ordinal))
            throw new InvalidOperationException($"GitOps.Build: {id} is not a loose {WireObject.TypeName(type)}.");
        var item = new WireObject(type, bytes[(nul + 1)..]);
        return item.Id == id ? item : throw new InvalidOperationException($"GitOps.Build: the loose object {id} does not hash to its name.");
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
        catch (RemoteRefusedException e)
        {
            return new RefUpdateStatus(reference, false, e.Message);
        }
        catch (WireFormatException e)
        {
            // Not a refusal: the update may have been applied before the report went wrong.
            return new RefUpdateStatus(reference, false, "its report cannot be read: " + e.Message, Unreadable: true);
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
            if (serverTrees.Contains(source))
                bases[item.Id] = (source, ReadLoose(source, GitObjectType.Tree).Content);
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

    private string Replace(string? treeId, string[] segments, string blobId, Dictionary<string, WireObject> written, string path)
    {
        var entries = treeId is null ? [] : new List<WireTreeEntry>(Entries(treeId, path));
        var index = entries.FindIndex(e => e.Name == segments[0]);
        var existing = index < 0 ? null : entries[index];
        WireTreeEntry replacement;
        if (segments.Length == 1 && existing is { IsTree: false, IsSubmodule: false })
            replaced[blobId] = existing.Id;
        if (segments.Length == 1)
            // The file keeps its mode (an executable stays one); a new file is a plain file.
            replacement = new WireTreeEntry(existing is { IsTree: false, IsSubmodule: false } ? existing.Mode : "100644", segments[0], blobId);
        else
            replacement = new WireTreeEntry("40000", segments[0], Replace(existing?.IsTree == true ? existing.Id : null, segments[1..], blobId, written, path));
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

    private void Fetch(IReadOnlyList<string> wants, Deadline deadline, int? deepen, string? filter)
    {
        var pack = Fallible(() => ProtocolV2.ParseFetch(UploadPack(ProtocolV2.Fetch(wants, deepen, filter), deadline, MaxAnswerBytes)));
        WritePack(pack, deadline);
    }

    private void WritePack(byte[] pack, Deadline deadline)
    {
        IReadOnlyList<WireObject> objects;
        try
        {
            objects = Fallible(() => PackReader.Read(pack, packBounds, () => deadline.ThrowIfExpired(displayUrl)));
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
        if (item.Type != GitObjectType.Tree)
            return;
        // Parsed now only when it was written to be read (a tree of the commit): the server's are parsed when a read reaches them.
        if (fromServer)
            serverTrees.Add(item.Id);
        trees.TryAdd(item.Id, fromServer ? null : TreeEntries.Parse(item.Content));
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
