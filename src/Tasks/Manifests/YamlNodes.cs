using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// A read-only YAML node tree that keeps what the editor needs and YamlDotNet's representation model
/// loses: where each scalar's text is, its style, and which aliases point at which anchor.
/// </summary>
internal abstract class YamlNode
{
    public string? Anchor { get; init; }

    /// <summary>Index where the node starts in the manifest text; for a scalar, where its own text starts (after any anchor and tag).</summary>
    public required int Start { get; init; }

    /// <summary>Index just after the node's last character (a collection: its last child's); identifies a scalar in a re-parse.</summary>
    public int End { get; set; }

    /// <summary>This node, or the node an alias points at.</summary>
    public virtual YamlNode Resolve() => this;
}

internal sealed class YamlScalar : YamlNode
{
    public required string Value { get; init; }

    public required ScalarStyle Style { get; init; }

    /// <summary>Inside a flow collection, where ',', '[', ']', '{' and '}' end a plain scalar.</summary>
    public required bool InFlow { get; init; }

    public bool IsBlock => Style is ScalarStyle.Literal or ScalarStyle.Folded;

    /// <summary>The value without the line breaks a block scalar carries.</summary>
    public string Content => IsBlock ? Value.Trim() : Value;
}

internal sealed class YamlMapping : YamlNode
{
    public required bool IsFlow { get; init; }

    public List<KeyValuePair<YamlNode, YamlNode>> Entries { get; } = [];

    /// <summary>The value under a plain string key, as written (an alias stays an alias); null when absent.</summary>
    public YamlNode? Get(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Resolve() is YamlScalar scalar && scalar.Value == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public YamlMapping? GetMapping(string key) => Get(key)?.Resolve() as YamlMapping;

    public YamlSequence? GetSequence(string key) => Get(key)?.Resolve() as YamlSequence;

    /// <summary>The string value of a scalar under the key, or null.</summary>
    public string? GetString(string key) => (Get(key)?.Resolve() as YamlScalar)?.Value;

    /// <summary>Follows a path of keys through nested mappings.</summary>
    public YamlMapping? GetMappingPath(params string[] keys)
    {
        var current = this;
        foreach (var key in keys)
        {
            current = current?.GetMapping(key);
        }

        return current;
    }
}

internal sealed class YamlSequence : YamlNode
{
    public required bool IsFlow { get; init; }

    public List<YamlNode> Items { get; } = [];
}

internal sealed class YamlAlias : YamlNode
{
    public required YamlNode Target { get; init; }

    public override YamlNode Resolve() => Target;
}

/// <summary>One document of a stream: its root and how many aliases point at each anchored node.</summary>
internal sealed class YamlDocumentNode
{
    public required YamlNode? Root { get; init; }

    public required IReadOnlyDictionary<YamlNode, int> AliasCounts { get; init; }
}
