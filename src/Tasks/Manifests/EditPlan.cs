using GitOps.Build.Diagnostics;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// What the format readers found and which scalars get which new values; <see cref="Apply"/> renders,
/// splices and verifies them. Shared by every format, so they all keep the same byte-exact promise.
/// </summary>
internal sealed class EditPlan
{
    private readonly ManifestText manifest;
    private readonly IReadOnlyList<DocumentSlice> slices;
    private readonly IReadOnlyList<IReadOnlyList<ParsingEvent>?> sliceEvents;
    private readonly Dictionary<YamlNode, int> aliasCounts = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> imagesFound = [];
    private readonly HashSet<string> imagesFoundSet = new(StringComparer.Ordinal);
    private readonly Dictionary<YamlScalar, PlannedValue> planned = new(ReferenceEqualityComparer.Instance);
    private readonly List<(TextEdit Edit, IReadOnlyList<string> Events, string Value)> insertions = [];
    private readonly List<(YamlMapping Mapping, List<(string Key, string Value)> Entries)> addedKeys = [];

    // slices: the slices of the text the documents were parsed from; the verifier parses the edited ones alone.
    // sliceEvents: for each slice, the events of the parse that read it (null: not parsed), which the verifier compares with.
    public EditPlan(ManifestText manifest, IReadOnlyList<YamlDocumentNode> documents, IReadOnlyList<DocumentSlice> slices,
        IReadOnlyList<IReadOnlyList<ParsingEvent>?> sliceEvents)
    {
        this.manifest = manifest;
        this.slices = slices;
        this.sliceEvents = sliceEvents;
        foreach (var pair in documents.SelectMany(d => d.AliasCounts))
        {
            aliasCounts[pair.Key] = pair.Value;
        }
    }

    public string Path => manifest.Path;

    public IReadOnlyList<string> ImagesFound => imagesFound;

    public ManifestText Manifest => manifest;

    public bool HasMatches => planned.Count > 0 || insertions.Count > 0 || addedKeys.Count > 0;

    public void Found(string image)
    {
        // The set keeps a file of a million images linear; the list keeps their order for messages.
        if (imagesFoundSet.Add(image))
        {
            imagesFound.Add(image);
        }
    }

    /// <summary>Plans a new value for a scalar; <paramref name="written"/> is the node as written, so an alias counts as its own use.</summary>
    public void Set(YamlNode written, string newValue)
    {
        var scalar = written.Resolve() as YamlScalar
            ?? throw new InvalidOperationException("Only scalars hold image values.");
        if (scalar.IsBlock)
        {
            throw new GitOpsException(Errors.ImageInBlockScalar, scalar.Content, Path, manifest.Position(scalar.Start).Line);
        }

        if (!planned.TryGetValue(scalar, out var value))
        {
            planned[scalar] = value = new PlannedValue(newValue);
        }
        else if (value.NewValue != newValue)
        {
            throw Shared(scalar);
        }

        value.Uses.Add(written);
    }

    /// <summary>Sets the scalar under <paramref name="key"/>, or adds the key at the end of the (block) mapping.</summary>
    public void SetOrAdd(YamlMapping mapping, string key, string value)
    {
        if (mapping.Get(key) is { } existing)
        {
            Set(existing, value);
            return;
        }

        var index = addedKeys.FindIndex(a => ReferenceEquals(a.Mapping, mapping));
        if (index < 0)
        {
            addedKeys.Add((mapping, []));
            index = addedKeys.Count - 1;
        }

        addedKeys[index].Entries.Add((key, value));
    }

    /// <summary>Plans inserted text that adds the nodes <paramref name="events"/> describes (see <see cref="EditVerifier"/>); <paramref name="value"/> is reported as the new value.</summary>
    public void Insert(TextEdit edit, IReadOnlyList<string> events, string value) => insertions.Add((edit, events, value));

    /// <summary>The line of a node, for messages.</summary>
    public int LineOf(YamlNode node) => manifest.Position(node.Start).Line;

    public ManifestEditResult Apply()
    {
        var edits = new List<TextEdit>();
        var expected = new Dictionary<int, string>();
        var replacements = new List<ImageReplacement>();
        foreach (var (scalar, value) in planned.OrderBy(p => p.Key.Start))
        {
            // Every use of an anchored value (the anchor and each alias) must be a use this plan edits.
            if (aliasCounts.TryGetValue(scalar, out var aliases) && value.Uses.Count < aliases + 1)
            {
                throw Shared(scalar);
            }

            var (line, column) = manifest.Position(scalar.Start);
            replacements.Add(new ImageReplacement(line, column, scalar.Value, value.NewValue));
            if (scalar.Value != value.NewValue)
            {
                edits.Add(new TextEdit(scalar.Start, scalar.End, ScalarRenderer.Render(scalar, value.NewValue)));
                expected[scalar.End] = value.NewValue;
            }
        }

        foreach (var (mapping, entries) in addedKeys)
        {
            var rendered = entries.Select(e => (e.Key, ScalarRenderer.RenderNew(e.Value))).ToList();
            Insert(BlockInsertion.AddKeys(manifest, mapping, rendered), [.. entries.SelectMany(e => new[] { "=" + e.Key, "=" + e.Value })],
                string.Join(", ", entries.Select(e => e.Value)));
        }

        addedKeys.Clear();
        foreach (var insertion in insertions.OrderBy(i => i.Edit.Start))
        {
            var (line, column) = manifest.Position(insertion.Edit.Start);
            replacements.Add(new ImageReplacement(line, column, "", insertion.Value));
            edits.Add(insertion.Edit);
        }

        var edited = TextSplicer.Apply(manifest.Text, edits);
        EditVerifier.Verify(manifest, edited, edits, expected, [.. insertions.OrderBy(i => i.Edit.Start).Select(i => (i.Edit.Start, i.Events))], slices, sliceEvents);
        return new ManifestEditResult(manifest.WithText(edited).Encode(), replacements, imagesFound);
    }

    private GitOpsException Shared(YamlScalar scalar) =>
        new(Errors.ImageValueShared, scalar.Value, Path, manifest.Position(scalar.Start).Line, scalar.Anchor ?? "?");

    private sealed class PlannedValue(string newValue)
    {
        public string NewValue { get; } = newValue;

        public HashSet<YamlNode> Uses { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
