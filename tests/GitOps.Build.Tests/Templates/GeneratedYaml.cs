using YamlDotNet.RepresentationModel;

namespace GitOps.Build.Tests.Templates;

/// <summary>Reads generated YAML with a real parser: every document of a file, and dotted paths into a mapping.</summary>
internal static class GeneratedYaml
{
    public static IReadOnlyList<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return [.. stream.Documents.Select(document => (YamlMappingNode)document.RootNode)];
    }

    public static string? Scalar(YamlMappingNode node, string dottedPath)
    {
        YamlNode current = node;
        foreach (var key in dottedPath.Split('.'))
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            current = child;
        }
        return (current as YamlScalarNode)?.Value;
    }

    public static YamlNode? Node(YamlMappingNode node, string dottedPath)
    {
        YamlNode? current = node;
        foreach (var key in dottedPath.Split('.'))
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current)) return null;
        }
        return current;
    }

    /// <summary>The Kubernetes objects of every .yaml file under <paramref name="directory"/>, each with its apiVersion/kind.</summary>
    public static IReadOnlyList<(string File, string ApiVersion, string Kind, YamlMappingNode Node)> KubernetesObjects(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(file => Documents(file).Select(node => (
                Path.GetRelativePath(directory, file),
                Scalar(node, "apiVersion") ?? throw new AssertFailedException($"{file}: no apiVersion"),
                Scalar(node, "kind") ?? throw new AssertFailedException($"{file}: no kind"),
                node)))];
}
