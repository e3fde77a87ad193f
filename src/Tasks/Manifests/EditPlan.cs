using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>
/// What the format readers found and which scalars get which new values; <see cref="Apply"/> renders,
/// splices and verifies them. Shared by every format, so they all keep the same byte-exact promise.
/// </summary>
internal sealed class EditPlan
{
    private readonly ManifestText manifest;
    private readonly Dictionary<YamlNode, int> aliasCounts = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> imagesFound = [];
    private readonly Dictionary<YamlScalar, PlannedValue> planned = new(ReferenceEqualityComparer.Instance);

    public EditPlan(ManifestText manifest, IReadOnlyList<YamlDocumentNode> documents)
    {
        this.manifest = manifest;
        foreach (var pair in documents.SelectMany(d => d.AliasCounts))
        {
            aliasCounts[pair.Key] = pair.Value;
        }
    }

    public string Path => manifest.Path;

    public IReadOnlyList<string> ImagesFound => imagesFound;

    public bool HasMatches => planned.Count > 0;

    public void Found(string image)
    {
        if (!imagesFound.Contains(image))
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
            throw new GitOpsException(Errors.ImageInBlockScalar, scalar.Content, Path, manifest.Position(scalar.TextStart).Line);
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

    public ManifestEditResult Apply()
    {
        var edits = new List<TextEdit>();
        var expected = new Dictionary<int, string>();
        var replacements = new List<ImageReplacement>();
        foreach (var (scalar, value) in planned.OrderBy(p => p.Key.TextStart))
        {
            // Every use of an anchored value (the anchor and each alias) must be a use this plan edits.
            if (aliasCounts.TryGetValue(scalar, out var aliases) && value.Uses.Count < aliases + 1)
            {
                throw Shared(scalar);
            }

            var (line, column) = manifest.Position(scalar.TextStart);
            replacements.Add(new ImageReplacement(line, column, scalar.Value, value.NewValue));
            if (scalar.Value != value.NewValue)
            {
                edits.Add(new TextEdit(scalar.TextStart, scalar.TextEnd, ScalarRenderer.Render(scalar, value.NewValue)));
                expected[scalar.TextEnd] = value.NewValue;
            }
        }

        var edited = TextSplicer.Apply(manifest.Text, edits);
        EditVerifier.Verify(manifest, edited, edits, expected);
        return new ManifestEditResult(manifest.WithText(edited).Encode(), replacements, imagesFound);
    }

    private GitOpsException Shared(YamlScalar scalar) =>
        new(Errors.ImageValueShared, scalar.Value, Path, manifest.Position(scalar.TextStart).Line, scalar.Anchor ?? "?");

    private sealed class PlannedValue(string newValue)
    {
        public string NewValue { get; } = newValue;

        public HashSet<YamlNode> Uses { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
