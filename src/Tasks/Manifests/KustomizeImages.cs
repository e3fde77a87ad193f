namespace GitOps.Build.Manifests;

/// <summary>
/// The images list of a kustomization: entries {name, newName, newTag, digest}. An entry is this image's when
/// its name or newName names the repository; its newTag and digest are set (and added when absent) as the
/// reference format asks, and AddIfMissing appends an entry when none matches.
/// </summary>
internal static class KustomizeImages
{
    private static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static bool IsKustomization(string path, int documentCount, IEnumerable<YamlDocumentNode> documents) =>
        FileNames.Contains(System.IO.Path.GetFileName(path), StringComparer.Ordinal)
        || (documentCount == 1 && documents.First().Root?.Resolve() is YamlMapping root
            && root.GetString("kind") is "Kustomization" or "Component");

    public static void Collect(IReadOnlyList<YamlDocumentNode> documents, EditPlan plan, NewImageValues newImage, bool addIfMissing)
    {
        var root = documents.Select(d => d.Root?.Resolve()).OfType<YamlMapping>().FirstOrDefault();
        var images = root?.GetSequence("images");
        var matched = false;
        foreach (var entry in images?.Items.Select(i => i.Resolve()).OfType<YamlMapping>() ?? [])
        {
            matched |= CollectEntry(entry, plan, newImage);
        }

        if (matched || !addIfMissing || root is null)
        {
            return;
        }

        List<(string Key, string Value)> values = [("name", newImage.Name)];
        if (newImage.Tag is not null)
        {
            values.Add(("newTag", newImage.Tag));
        }

        if (newImage.Digest is not null)
        {
            values.Add(("digest", newImage.Digest));
        }

        var rendered = values.Select(v => (v.Key, ScalarRenderer.RenderNew(v.Value))).ToList();
        IEnumerable<string> entryEvents = ["{", .. values.SelectMany(v => new[] { "=" + v.Key, "=" + v.Value }), "}"];
        var description = newImage.FullReference;
        if (images is { Items.Count: > 0 })
        {
            plan.Insert(BlockInsertion.AddMappingItem(plan.Manifest, images, rendered), [.. entryEvents], description);
        }
        else if (root.Get("images") is null)
        {
            plan.Insert(BlockInsertion.AddSequenceKey(plan.Manifest, root, "images", rendered), ["=images", "[", .. entryEvents, "]"], description);
        }
        else
        {
            throw new Diagnostics.GitOpsException(Diagnostics.Errors.ImageEntryNotAddable, plan.Path, plan.LineOf(root.Get("images")!));
        }
    }

    private static bool CollectEntry(YamlMapping entry, EditPlan plan, NewImageValues newImage)
    {
        var name = entry.GetString("name");
        var newName = entry.GetString("newName");
        var newTag = entry.GetString("newTag");
        var digest = entry.GetString("digest");
        var shown = newName ?? name;
        if (shown is null)
        {
            return false;
        }

        plan.Found(shown + (string.IsNullOrEmpty(newTag) ? "" : ":" + newTag) + (string.IsNullOrEmpty(digest) ? "" : "@" + digest));
        var newNameMatches = newImage.Names(newName);
        if (!newNameMatches && !newImage.Names(name))
        {
            return false;
        }

        if (newName is not null && !newNameMatches)
        {
            plan.Set(entry.Get("newName")!, newImage.Name);
        }

        ImageParts.SetTagAndDigest(plan, entry, "newTag", "digest", newImage, canAdd: true, addDigest: true);
        return true;
    }
}
