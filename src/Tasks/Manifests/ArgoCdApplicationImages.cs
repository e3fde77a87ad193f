namespace GitOps.Build.Manifests;

/// <summary>
/// Argo CD Application and ApplicationSet sources: helm.parameters (split "x.repository"/"x.tag" pairs, whole
/// references, or the ValuePath parameter), helm.valuesObject (Helm values), and kustomize.images
/// ("[name=]image:tag" strings).
/// </summary>
internal static class ArgoCdApplicationImages
{
    public static void Collect(YamlMapping obj, EditPlan plan, NewImageValues newImage, ManifestEditOptions options)
    {
        var spec = obj.GetString("kind") switch
        {
            "Application" => obj.GetMapping("spec"),
            "ApplicationSet" => obj.GetMappingPath("spec", "template", "spec"),
            _ => null,
        };
        if (spec is null || obj.GetString("apiVersion")?.StartsWith("argoproj.io/", StringComparison.Ordinal) != true)
        {
            return;
        }

        // Each source once, however many aliases of it the list holds (each would walk its values again).
        var sources = spec.GetSequence("sources")?.Items.Select(s => s.Resolve()).OfType<YamlMapping>() ?? [];
        foreach (var source in sources.Prepend(spec.GetMapping("source")).OfType<YamlMapping>().Distinct<YamlMapping>(ReferenceEqualityComparer.Instance))
        {
            if (source.GetMapping("helm") is { } helm)
            {
                CollectParameters(helm.GetSequence("parameters"), plan, newImage, options);
                HelmValuesImages.Collect([helm.Get("valuesObject")], plan, newImage, options);
            }

            foreach (var image in source.GetMappingPath("kustomize")?.GetSequence("images")?.Items ?? [])
            {
                CollectKustomizeImage(image, plan, newImage);
            }
        }
    }

    private static void CollectParameters(YamlSequence? parameters, EditPlan plan, NewImageValues newImage, ManifestEditOptions options)
    {
        var byName = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var parameter in parameters?.Items.Select(p => p.Resolve()).OfType<YamlMapping>() ?? [])
        {
            if (parameter.GetString("name") is { } name && parameter.Get("value") is { } value)
            {
                byName[name] = value;
            }
        }

        if (options.ValuePath is not null)
        {
            if (byName.TryGetValue(options.ValuePath, out var named))
            {
                HelmValuesImages.CollectNamedValue(options.ValuePath, named, plan, newImage, options.HelmKeys);
            }

            return;
        }

        // "web.image.repository", "web.image.tag", ... read as the split mapping {repository, tag, ...} under "web.image".
        var keys = options.HelmKeys;
        foreach (var (name, value) in byName)
        {
            var prefix = name == keys.Repository ? "" : name.EndsWith("." + keys.Repository, StringComparison.Ordinal) ? name[..^keys.Repository.Length] : null;
            if (prefix is not null && value.Resolve() is YamlScalar repository)
            {
                var split = new YamlMapping { IsFlow = false, Start = parameters!.Start };
                foreach (var (key, node) in byName.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && !p.Key[prefix.Length..].Contains('.')))
                {
                    split.Entries.Add(new(new YamlScalar { Value = key[prefix.Length..], Style = YamlDotNet.Core.ScalarStyle.Plain, Start = node.Start, End = node.Start, InFlow = false }, node));
                }

                HelmValuesImages.CollectSplit(split, repository.Value, plan, newImage, keys, canAdd: false);
            }
            else if (name == "image" || name.EndsWith(".image", StringComparison.Ordinal))
            {
                ContainerImage.Collect(value, plan, newImage);
            }
        }
    }

    private static void CollectKustomizeImage(YamlNode written, EditPlan plan, NewImageValues newImage)
    {
        if (written.Resolve() is not YamlScalar scalar)
        {
            return;
        }

        plan.Found(scalar.Value);
        var equals = scalar.Value.IndexOf('=');
        var name = equals < 0 ? null : scalar.Value[..equals];
        var image = scalar.Value[(equals + 1)..];
        if (newImage.Names(image) || (name is not null && newImage.Names(name)))
        {
            plan.Set(written, (name is null ? "" : name + "=") + newImage.FullReference);
        }
    }
}
