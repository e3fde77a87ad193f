using GitOps.Build.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>A slice of a manifest as one parse read it: its documents, and the parser events the verifier compares with.</summary>
internal sealed record ParsedSlice(DocumentSlice Slice, IReadOnlyList<YamlDocumentNode> Documents, IReadOnlyList<ParsingEvent> Events);

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

    /// <summary>Every document of the manifest, parsed whole; malformed YAML is GITOPS042.</summary>
    public static ParsedSlice Read(ManifestText manifest)
    {
        try
        {
            return ReadSlice(manifest.Text, DocumentSlice.Whole(manifest.Text));
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
    public static List<YamlDocumentNode> Read(string text, DocumentSlice slice) => [.. ReadSlice(text, slice).Documents];

    /// <summary>Like <see cref="Read(string, DocumentSlice)"/>, with the parser events kept for the verifier.</summary>
    public static ParsedSlice ReadSlice(string text, DocumentSlice slice)
    {
        var events = new List<ParsingEvent>();
        var parser = YamlParsing.Open(text.Substring(slice.Start, slice.Length), events);
        var documents = new List<YamlDocumentNode>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            var reader = new DocumentReader(parser, text, slice.Start);
            var root = parser.Accept<DocumentEnd>(out _) ? null : reader.ReadRoot();
            parser.Consume<DocumentEnd>();
            documents.Add(new YamlDocumentNode { Root = root, AliasCounts = reader.AliasCounts });
        }

        parser.Consume<StreamEnd>();
        return new ParsedSlice(slice, documents, events);
    }

    /// <summary>
    /// Reads one document with a stack of the collections still open, not by recursion: a document nested up to the
    /// limit costs no stack, and the refusal past it is thrown from here. <c>offset</c>: where the slice starts in <c>text</c>.
    /// </summary>
    private sealed class DocumentReader(IParser parser, string text, int offset)
    {
        // Mappings with more keys than this find duplicates through a set rather than by comparing with each key.
        private const int KeysComparedDirectly = 8;

        private readonly Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);

        // The height of each anchored node read to its end; an anchored node without one is still open: an ancestor.
        private readonly Dictionary<YamlNode, int> heights = new(ReferenceEqualityComparer.Instance);

        // The open collections, outermost first; the innermost is where the next node goes.
        private readonly List<OpenCollection> open = [];

        public Dictionary<YamlNode, int> AliasCounts { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>The document's root node; the parser is on its first event.</summary>
        public YamlNode ReadRoot()
        {
            while (true)
            {
                var current = parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
                parser.MoveNext();

                // A node's depth is one more than the collections open around it (the root's is 1).
                var depth = open.Count + 1;
                YamlNode node;
                int height;
                switch (current)
                {
                    case AnchorAlias alias:
                        node = ReadAlias(alias, depth, out height);
                        break;

                    case Scalar scalar:
                        ThrowIfTooDeep(current, depth);
                        node = new YamlScalar
                        {
                            Anchor = AnchorOf(scalar),
                            Value = scalar.Value,
                            Style = scalar.Style,
                            Start = YamlScalarLocator.TextStart(text, offset, scalar),
                            End = offset + checked((int)scalar.End.Index),
                            InFlow = open.Count > 0 && open[^1].InFlow,
                        };
                        height = 1;
                        if (node.Anchor is not null)
                        {
                            anchors[node.Anchor] = node;
                            heights[node] = height;
                        }

                        break;

                    case SequenceStart sequenceStart:
                        ThrowIfTooDeep(current, depth);
                        var sequence = new YamlSequence { Anchor = AnchorOf(sequenceStart), IsFlow = sequenceStart.Style == SequenceStyle.Flow, Start = offset + checked((int)sequenceStart.Start.Index) };
                        Open(sequence, sequence.IsFlow);
                        continue;

                    case MappingStart mappingStart:
                        ThrowIfTooDeep(current, depth);
                        var mapping = new YamlMapping { Anchor = AnchorOf(mappingStart), IsFlow = mappingStart.Style == MappingStyle.Flow, Start = offset + checked((int)mappingStart.Start.Index) };
                        Open(mapping, mapping.IsFlow);
                        continue;

                    case SequenceEnd or MappingEnd when open.Count > 0:
                        var closed = open[^1];
                        open.RemoveAt(open.Count - 1);
                        node = closed.Node;
                        node.End = node switch
                        {
                            YamlSequence { Items.Count: > 0 } s => s.Items[^1].End,
                            YamlMapping { Entries.Count: > 0 } m => m.Entries[^1].Value.End,
                            _ => node.Start,
                        };
                        // Its anchor was registered when it opened (a later node may have taken the name since).
                        height = closed.Height;
                        if (node.Anchor is not null)
                        {
                            heights[node] = height;
                        }

                        break;

                    default:
                        throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name}.");
                }

                if (open.Count == 0)
                {
                    return node;
                }

                Add(open[^1], node, height, current);
            }
        }

        private void Open(YamlNode collection, bool isFlow)
        {
            // Registered now, so that an alias inside it finds it, and without a height, so that the alias is refused.
            if (collection.Anchor is not null)
            {
                anchors[collection.Anchor] = collection;
            }

            open.Add(new OpenCollection(collection, isFlow || (open.Count > 0 && open[^1].InFlow)));
        }

        /// <summary>Adds a node read to its end to the innermost open collection; <paramref name="last"/> is the event that ended it (a scalar's or alias's only one).</summary>
        private static void Add(OpenCollection parent, YamlNode node, int height, ParsingEvent last)
        {
            parent.Height = Math.Max(parent.Height, height + 1);
            if (parent.Node is YamlSequence sequence)
            {
                sequence.Items.Add(node);
            }
            else if (parent.Key is null)
            {
                // Only scalar keys (or aliases of one) are compared, so the event is the key's own and gives its position.
                if (node.Resolve() is YamlScalar key && !IsNewKey(parent, key.Value))
                {
                    throw new YamlException(last.Start, last.End,
                        $"The key '{key.Value}' appears twice in one mapping. YAML requires unique keys, and readers differ in which value they keep.");
                }

                parent.Key = node;
            }
            else
            {
                ((YamlMapping)parent.Node).Entries.Add(new(parent.Key, node));
                parent.Key = null;
            }
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

            ThrowIfTooDeep(alias, depth - 1 + height);
            AliasCounts[target] = AliasCounts.GetValueOrDefault(target) + 1;
            return new YamlAlias { Target = target, Start = offset + checked((int)alias.Start.Index), End = offset + checked((int)alias.End.Index) };
        }

        /// <summary>Whether no earlier key of the mapping has the value <paramref name="key"/>: scalar keys compare by value whatever their quoting or tag, as kubectl's reader compares them.</summary>
        private static bool IsNewKey(OpenCollection mapping, string key)
        {
            var entries = ((YamlMapping)mapping.Node).Entries;
            if (mapping.Keys is null)
            {
                if (entries.Count < KeysComparedDirectly)
                {
                    return ((YamlMapping)mapping.Node).Get(key) is null;
                }

                mapping.Keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    if (entry.Key.Resolve() is YamlScalar scalar)
                    {
                        mapping.Keys.Add(scalar.Value);
                    }
                }
            }

            return mapping.Keys.Add(key);
        }

        private static void ThrowIfTooDeep(ParsingEvent at, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new YamlException(at.Start, at.End, $"It nests more than {MaxDepth} levels deep (counting what aliases refer to).");
            }
        }

        /// <summary>A collection whose end event is still to come.</summary>
        private sealed class OpenCollection(YamlNode node, bool inFlow)
        {
            public YamlNode Node { get; } = node;

            /// <summary>Whether the collection is in flow style or inside one, where ',', '[', ']', '{' and '}' end a plain scalar.</summary>
            public bool InFlow { get; } = inFlow;

            /// <summary>The levels from the collection down, through aliases, itself included, as far as read.</summary>
            public int Height { get; set; } = 1;

            /// <summary>In a mapping, the key read whose value is still to come.</summary>
            public YamlNode? Key { get; set; }

            /// <summary>In a mapping of many keys, its scalar keys so far.</summary>
            public HashSet<string>? Keys { get; set; }
        }
    }

    private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;
}
