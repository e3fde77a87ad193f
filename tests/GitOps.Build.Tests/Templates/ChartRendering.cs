using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GitOps.Build.Tests.Templates;

/// <summary>
/// Helm is not installable here (`apt-cache policy helm` is empty on Debian bookworm), so the generated chart is checked
/// structurally: its values files are merged as Helm merges them (later files win, maps merge key by key), and each
/// template's `{{ .Values.x }}` / `{{ .Release.Name }}` / `{{ .Chart.Name }}` is filled from them. Any other template
/// action, or a value the files do not hold, fails: the generated chart uses nothing else, and a new one must be checked
/// here. What comes out is parsed as YAML.
/// </summary>
internal static partial class ChartRendering
{
    public static YamlMappingNode MergedValues(params string[] files)
    {
        var merged = new YamlMappingNode();
        foreach (var file in files) Merge(merged, GeneratedYaml.Documents(file).Single());
        return merged;
    }

    public static IReadOnlyList<YamlMappingNode> Render(string chartDirectory, YamlMappingNode values, string releaseName)
    {
        var chartName = GeneratedYaml.Scalar(GeneratedYaml.Documents(Path.Combine(chartDirectory, "Chart.yaml")).Single(), "name")!;
        var rendered = new List<YamlMappingNode>();
        foreach (var template in Directory.GetFiles(Path.Combine(chartDirectory, "templates"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = Action().Replace(File.ReadAllText(template), match => match.Groups["scope"].Value switch
            {
                "Values" => GeneratedYaml.Scalar(values, match.Groups["path"].Value)
                    ?? throw new AssertFailedException($"{template}: .Values.{match.Groups["path"].Value} is not in the values files"),
                "Release" when match.Groups["path"].Value == "Name" => releaseName,
                "Chart" when match.Groups["path"].Value == "Name" => chartName,
                _ => throw new AssertFailedException($"{template}: {match.Value} is not checked by this test"),
            });
            Assert.IsFalse(text.Contains("{{", StringComparison.Ordinal), $"{template}: a template action this test does not render:\n{text}");
            var path = Path.Combine(Path.GetTempPath(), $"gitops-chart-{Guid.NewGuid():N}.yaml");
            try
            {
                File.WriteAllText(path, text);
                rendered.AddRange(GeneratedYaml.Documents(path));
            }
            finally { File.Delete(path); }
        }
        return rendered;
    }

    private static void Merge(YamlMappingNode into, YamlMappingNode from)
    {
        foreach (var (key, value) in from.Children)
        {
            if (value is YamlMappingNode map && into.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode existingMap)
                Merge(existingMap, map);
            else
                into.Children[key] = value;
        }
    }

    [GeneratedRegex(@"\{\{-?\s*\.(?<scope>\w+)\.(?<path>[\w.]+)\s*-?\}\}")]
    private static partial Regex Action();
}
