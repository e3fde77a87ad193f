using GitOps.Build.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>Builds <see cref="YamlNode"/> trees from YamlDotNet parser events, one per document.</summary>
internal static class YamlTreeReader
{
    /// <summary>Every document of the manifest; malformed YAML is GITOPS042.</summary>
    public static IReadOnlyList<YamlDocumentNode> Read(ManifestText manifest)
    {
        try
        {
            return Read(manifest.Text, DocumentSlice.Whole(manifest.Text));
        }
        catch (YamlException e)
        {
            throw new GitOpsException(e, Errors.ManifestMalformed, manifest.Path, e.Message);
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
            var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            var aliasCounts = new Dictionary<YamlNode, int>(ReferenceEqualityComparer.Instance);
            var root = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, text, slice.Start, anchors, aliasCounts, inFlow: false);
            parser.Consume<DocumentEnd>();
            documents.Add(new YamlDocumentNode { Root = root, AliasCounts = aliasCounts });
        }

        parser.Consume<StreamEnd>();
        return documents;
    }

    private static YamlNode ReadNode(IParser parser, string text, int offset, Dictionary<string, YamlNode> anchors, Dictionary<YamlNode, int> aliasCounts, bool inFlow)
    {
        var current = parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
        parser.MoveNext();
        YamlNode node;
        switch (current)
        {
            case AnchorAlias alias:
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"The alias *{alias.Value.Value} refers to no anchor before it.");
                }

                aliasCounts[target] = aliasCounts.GetValueOrDefault(target) + 1;
                return new YamlAlias { Target = target, Start = offset + checked((int)alias.Start.Index), End = offset + checked((int)alias.End.Index) };

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
                break;

            case SequenceStart sequenceStart:
                var sequence = new YamlSequence { Anchor = AnchorOf(sequenceStart), IsFlow = sequenceStart.Style == SequenceStyle.Flow, Start = offset + checked((int)sequenceStart.Start.Index) };
                Register(sequence, anchors);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    sequence.Items.Add(ReadNode(parser, text, offset, anchors, aliasCounts, inFlow || sequence.IsFlow));
                }

                sequence.End = sequence.Items.Count > 0 ? sequence.Items[^1].End : sequence.Start;

                return sequence;

            case MappingStart mappingStart:
                var mapping = new YamlMapping { Anchor = AnchorOf(mappingStart), IsFlow = mappingStart.Style == MappingStyle.Flow, Start = offset + checked((int)mappingStart.Start.Index) };
                Register(mapping, anchors);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var flow = inFlow || mapping.IsFlow;
                    var key = ReadNode(parser, text, offset, anchors, aliasCounts, flow);
                    mapping.Entries.Add(new(key, ReadNode(parser, text, offset, anchors, aliasCounts, flow)));
                }

                mapping.End = mapping.Entries.Count > 0 ? mapping.Entries[^1].Value.End : mapping.Start;

                return mapping;

            default:
                throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name}.");
        }

        Register(node, anchors);
        return node;
    }

    private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;

    private static void Register(YamlNode node, Dictionary<string, YamlNode> anchors)
    {
        if (node.Anchor is not null)
        {
            anchors[node.Anchor] = node;
        }
    }
}
