namespace GitOps.Build.Manifests;

/// <summary>
/// Images in Helm values, at any nesting: a mapping split into [registry,] repository, tag [, digest] keys,
/// or a single "image: repository:tag" string; or, with a ValuePath, exactly the value at that path.
/// Also used for values embedded in Argo CD Applications and Flux HelmReleases.
/// </summary>
internal static class HelmValuesImages
{
    public static void Collect(IEnumerable<YamlNode?> roots, EditPlan plan, NewImageValues newImage, ManifestEditOptions options)
    {
        foreach (var root in roots)
        {
            if (options.ValuePath is not null)
            {
                CollectPath(root, options.ValuePath, plan, newImage, options.HelmKeys);
            }
            else
            {
                Walk(root, plan, newImage, options.HelmKeys, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    /// <summary>The value an explicitly named key gets: a digest key the digest, an image key or a value naming a repository a whole reference, else the tag.</summary>
    public static string ValueFor(string key, string existing, NewImageValues newImage, HelmImageKeys keys) =>
        key == keys.Digest || key.Contains("digest", StringComparison.OrdinalIgnoreCase) ? newImage.RequiredDigest
        : key == "image" || existing.Contains('/') ? newImage.FullReference
        : newImage.RequiredTag;

    /// <summary>The value at a dotted path of keys, set as <see cref="ValueFor"/> says.</summary>
    public static void CollectPath(YamlNode? root, string path, EditPlan plan, NewImageValues newImage, HelmImageKeys keys)
    {
        var segments = path.Split('.');
        var parent = root?.Resolve() as YamlMapping;
        foreach (var segment in segments[..^1])
        {
            parent = parent?.GetMapping(segment);
        }

        if (parent?.Get(segments[^1]) is { } written)
        {
            CollectNamedValue(path, written, plan, newImage, keys);
        }
    }

    /// <summary>The one value the user named (ValuePath): a values key or an Argo CD helm parameter.</summary>
    public static void CollectNamedValue(string path, YamlNode written, EditPlan plan, NewImageValues newImage, HelmImageKeys keys)
    {
        if (written.Resolve() is YamlScalar scalar)
        {
            plan.Found(path + "=" + scalar.Value);
            plan.Set(written, ValueFor(path.Split('.')[^1], scalar.Value, newImage, keys));
        }
    }

    private static void Walk(YamlNode? node, EditPlan plan, NewImageValues newImage, HelmImageKeys keys, HashSet<YamlNode> visited)
    {
        switch (node?.Resolve())
        {
            case YamlMapping mapping when visited.Add(mapping):
                if (mapping.GetString(keys.Repository) is { } repository)
                {
                    CollectSplit(mapping, repository, plan, newImage, keys);
                }
                else if (mapping.Get("image") is { } image)
                {
                    ContainerImage.Collect(image, plan, newImage);
                }

                foreach (var entry in mapping.Entries)
                {
                    Walk(entry.Value, plan, newImage, keys, visited);
                }

                break;
            case YamlSequence sequence when visited.Add(sequence):
                foreach (var item in sequence.Items)
                {
                    Walk(item, plan, newImage, keys, visited);
                }

                break;
        }
    }

    /// <summary>An image split across the keys of <paramref name="mapping"/>; <paramref name="canAdd"/> whether a missing tag key may be added.</summary>
    public static void CollectSplit(YamlMapping mapping, string repository, EditPlan plan, NewImageValues newImage, HelmImageKeys keys, bool canAdd = true)
    {
        var registry = keys.Registry is null ? null : mapping.GetString(keys.Registry);
        var name = string.IsNullOrEmpty(registry) ? repository : registry.TrimEnd('/') + "/" + repository;
        var tag = mapping.GetString(keys.Tag);
        plan.Found(name + (string.IsNullOrEmpty(tag) ? "" : ":" + tag));
        if (newImage.Names(name))
        {
            ImageParts.SetTagAndDigest(plan, mapping, keys.Tag, keys.Digest, newImage, canAdd, addDigest: false);
        }
    }
}
