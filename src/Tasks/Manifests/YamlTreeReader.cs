using GitOps.Build.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// Builds <see cref="YamlNode"/> trees from YamlDotNet parser events, one per document. The one place that refuses
/// what YAML forbids and the editor's walks cannot bear: duplicate keys, aliases into their own ancestors, and
/// nesting past <see cref="MaxDepth"/>. Every walk of a tree it returns is then bounded in depth, so in stack.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>
    /// The deepest nesting read, counting through aliases (a node's depth plus the height of what an alias there
    /// points at). Real manifests stay far below it; it bounds the stack of every recursive walk, and YamlDotNet's
    /// scanner, whose time per token grows with the flow nesting, stops within it (the tree is built as it parses).
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>Every document of the manifest; malformed YAML is GITOPS042.</summary>
    public static IReadOnlyList<YamlDocumentNode> Read(ManifestText manifest)
    {
        try
        {
            return Read(manifest.Text, DocumentSlice.Whole(manifest.Text));
        }
        catch (YamlException e)
        {
            // The whole text was parsed, so the mark's line is the file's.
            var where = e.Start.Equals(Mark.Empty) ? "" : $"line {e.Start.Line}, column {e.Start.Column}: ";
            throw new GitOpsException(e, Errors.ManifestMalformed, manifest.Path, where + e.Message.TrimEnd('.'));
        }
    }

    /// <summary>
    /// The documents of one slice of <paramref name="text"/>, parsed alone; node positions are indices in the
    /// whole text (a parser mark counts the characters it was given). Throws <see cref="YamlException"/>.
    /// </summary>
    public static List<YamlDocumentNode> Read(string text, DocumentSlice slice)
    {
        var parser = new Parser(new StringReader(text.Substring(slice.Start, slice.Length)));
        var documents = new List<YamlDocumentNode>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            var reader = new DocumentReader(parser, text, slice.Start);
            var root = parser.Accept<DocumentEnd>(out _) ? null : reader.ReadNode(depth: 1, inFlow: false, out _);
            parser.Consume<DocumentEnd>();
            documents.Add(new YamlDocumentNode { Root = root, AliasCounts = reader.AliasCounts });
        }

        parser.Consume<StreamEnd>();
        return documents;
    }

    /// <summary>Reads one document; <c>offset</c> is where the parsed slice starts in <c>text</c>.</summary>
    private sealed class DocumentReader(IParser parser, string text, int offset)
    {
        // Mappings with more keys than this find duplicates through a set rather than by comparing with each key.
        private const int KeysComparedDirectly = 8;

        private readonly Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);

        // The height of each anchored node read to its end; an anchored node without one is still open: an ancestor.
        private readonly Dictionary<YamlNode, int> heights = new(ReferenceEqualityComparer.Instance);

        public Dictionary<YamlNode, int> AliasCounts { get; } = new(ReferenceEqualityComparer.Instance);

        // depth: the node's level (the root's is 1). height: the levels from the node down, through aliases, itself included.
        public YamlNode ReadNode(int depth, bool inFlow, out int height)
        {
            var current = parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
            height = 1;
            if (current is AnchorAlias alias)
            {
                parser.MoveNext();
                return ReadAlias(alias, depth, out height);
            }

            if (depth > MaxDepth)
            {
                throw TooDeep(current);
            }

            parser.MoveNext();
            YamlNode node;
            switch (current)
            {
                case Scalar scalar:
                    node = new YamlScalar
                    {
                        Anchor = AnchorOf(scalar),
                        Value = scalar.Value,
                        Style = scalar.Style,
                        Start = YamlScalarLocator.TextStart(text, offset, scalar),
                        End = offset + checked((int)scalar.End.Index),
                        InFlow = inFlow,
                    };
                    Register(node);
                    break;

                case SequenceStart sequenceStart:
                    var sequence = new YamlSequence { Anchor = AnchorOf(sequenceStart), IsFlow = sequenceStart.Style == SequenceStyle.Flow, Start = offset + checked((int)sequenceStart.Start.Index) };
                    Register(sequence);
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        sequence.Items.Add(ReadNode(depth + 1, inFlow || sequence.IsFlow, out var itemHeight));
                        height = Math.Max(height, itemHeight + 1);
                    }

                    sequence.End = sequence.Items.Count > 0 ? sequence.Items[^1].End : sequence.Start;
                    node = sequence;
                    break;

                case MappingStart mappingStart:
                    var mapping = new YamlMapping { Anchor = AnchorOf(mappingStart), IsFlow = mappingStart.Style == MappingStyle.Flow, Start = offset + checked((int)mappingStart.Start.Index) };
                    Register(mapping);
                    HashSet<string>? keys = null;
                    var flow = inFlow || mapping.IsFlow;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyEvent = parser.Current;
                        var key = ReadNode(depth + 1, flow, out var keyHeight);
                        if (key.Resolve() is YamlScalar keyScalar && !IsNewKey(mapping, keyScalar.Value, ref keys))
                        {
                            throw new YamlException(keyEvent!.Start, keyEvent.End,
                                $"The key '{keyScalar.Value}' appears twice in one mapping. YAML requires unique keys, and readers differ in which value they keep.");
                        }

                        mapping.Entries.Add(new(key, ReadNode(depth + 1, flow, out var valueHeight)));
                        height = Math.Max(height, Math.Max(keyHeight, valueHeight) + 1);
                    }

                    mapping.End = mapping.Entries.Count > 0 ? mapping.Entries[^1].Value.End : mapping.Start;
                    node = mapping;
                    break;

                default:
                    throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name}.");
            }

            if (node.Anchor is not null)
            {
                heights[node] = height;
            }

            return node;
        }

        private YamlAlias ReadAlias(AnchorAlias alias, int depth, out int height)
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"The alias *{alias.Value.Value} refers to no anchor before it.");
            }

            // Following an alias into a node that contains it never ends.
            if (!heights.TryGetValue(target, out height))
            {
                throw new YamlException(alias.Start, alias.End, $"The alias *{alias.Value.Value} is inside the node it refers to, which would make the data endless.");
            }

            if (depth - 1 + height > MaxDepth)
            {
                throw TooDeep(alias);
            }

            AliasCounts[target] = AliasCounts.GetValueOrDefault(target) + 1;
            return new YamlAlias { Target = target, Start = offset + checked((int)alias.Start.Index), End = offset + checked((int)alias.End.Index) };
        }

        private void Register(YamlNode node)
        {
            if (node.Anchor is not null)
            {
                anchors[node.Anchor] = node;
            }
        }

        /// <summary>Whether no earlier key of the mapping has the value <paramref name="key"/>: scalar keys compare by value whatever their quoting or tag, as kubectl's reader compares them.</summary>
        private static bool IsNewKey(YamlMapping mapping, string key, ref HashSet<string>? keys)
        {
            if (keys is null)
            {
                if (mapping.Entries.Count < KeysComparedDirectly)
                {
                    return mapping.Get(key) is null;
                }

                keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in mapping.Entries)
                {
                    if (entry.Key.Resolve() is YamlScalar scalar)
                    {
                        keys.Add(scalar.Value);
                    }
                }
            }

            return keys.Add(key);
        }

        private static YamlException TooDeep(ParsingEvent at) =>
            new(at.Start, at.End, $"It nests more than {MaxDepth} levels deep (counting what aliases refer to).");
    }

    private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;
}
