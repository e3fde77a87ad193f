using System.Text.RegularExpressions;

namespace GitOps.Build.Manifests;

/// <summary>
/// Flux image automation setter markers: a line comment # {"$imagepolicy": "NS:NAME"} after a whole image
/// reference, or "NS:NAME:tag", ":name", ":digest" after that part alone. Markers of the ImagePolicy option
/// are updated; without it a whole-reference or name marker matches by repository, and the tag and digest
/// markers of the same policy follow it.
/// </summary>
internal static class ImagePolicyMarkers
{
    private static readonly Regex Marker = new(
        @"(?<=^|[ \t])#[ \t]*\{[ \t]*""\$imagepolicy""[ \t]*:[ \t]*""(?<policy>[^"":]+:[^"":]+)(?::(?<part>tag|name|digest))?""[ \t]*\}",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Whether the text holds a marker; the plain search first spares large files the regex.</summary>
    public static bool HasMarkers(string text) => text.Contains(PolicyKey, StringComparison.Ordinal) && Marker.IsMatch(text);

    /// <summary>What every marker contains.</summary>
    public const string PolicyKey = "$imagepolicy";

    public static void Collect(IReadOnlyList<YamlDocumentNode> documents, EditPlan plan, NewImageValues newImage, string? imagePolicy)
    {
        var text = plan.Manifest.Text;
        var scalarsByEnd = new Dictionary<int, YamlScalar>();
        foreach (var document in documents)
        {
            AddScalars(document.Root, scalarsByEnd, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        }

        var markers = new List<(string Policy, string Part, YamlScalar Scalar)>();
        foreach (Match match in Marker.Matches(text))
        {
            var end = match.Index;
            while (end > 0 && text[end - 1] is ' ' or '\t')
            {
                end--;
            }

            // Only a marker that directly follows a scalar on its line is a line comment on that scalar.
            if (scalarsByEnd.TryGetValue(end, out var scalar))
            {
                markers.Add((match.Groups["policy"].Value, match.Groups["part"].Value, scalar));
            }
        }

        var matchedPolicies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (policy, part, scalar) in markers.Where(m => m.Part is "" or "name"))
        {
            plan.Found(scalar.Content);
            if (imagePolicy is null ? newImage.Names(scalar.Content) : policy == imagePolicy)
            {
                matchedPolicies.Add(policy);
                plan.Set(scalar, part == "name" ? newImage.Name : newImage.FullReference);
            }
        }

        foreach (var (policy, part, scalar) in markers.Where(m => m.Part is "tag" or "digest"))
        {
            plan.Found($"{scalar.Content} ({policy}:{part})");
            if (policy == imagePolicy || (imagePolicy is null && matchedPolicies.Contains(policy)))
            {
                plan.Set(scalar, part == "tag" ? newImage.RequiredTag : newImage.RequiredDigest);
            }
        }
    }


    private static void AddScalars(YamlNode? node, Dictionary<int, YamlScalar> scalarsByEnd, HashSet<YamlNode> visited)
    {
        switch (node)
        {
            case YamlScalar scalar:
                scalarsByEnd[scalar.End] = scalar;
                break;
            case YamlMapping mapping when visited.Add(mapping):
                foreach (var entry in mapping.Entries)
                {
                    AddScalars(entry.Key, scalarsByEnd, visited);
                    AddScalars(entry.Value, scalarsByEnd, visited);
                }

                break;
            case YamlSequence sequence when visited.Add(sequence):
                foreach (var item in sequence.Items)
                {
                    AddScalars(item, scalarsByEnd, visited);
                }

                break;
        }
    }
}
