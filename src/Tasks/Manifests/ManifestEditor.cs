using GitOps.Build.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// Replaces image references in a manifest so that exactly the bytes of the references change: the
/// scalars are located by parser marks, rewritten in their own style, spliced into the original text,
/// and the result is re-parsed and compared with the original before anything is returned.
/// </summary>
internal static class ManifestEditor
{
    /// <summary>Edits every matching reference; no match at all is an error (GITOPS040) listing the images found.</summary>
    public static ManifestEditResult Edit(string path, byte[] content, ImageReference newImage, ManifestEditOptions? options = null) =>
        Edit(path, content, newImage, options, sliceDocuments: true);

    /// <summary>Like <see cref="Edit(string, byte[], ImageReference, ManifestEditOptions?)"/>, but a file without a match comes back unchanged with no replacements.</summary>
    public static ManifestEditResult TryEdit(string path, byte[] content, ImageReference newImage, ManifestEditOptions? options = null) =>
        TryEdit(path, content, newImage, options, sliceDocuments: true);

    /// <summary>
    /// Starts, once per process, a background edit of a small built-in manifest, so that the first real edit does not
    /// pay for loading and JIT-compiling the engine and YamlDotNet (~0.1 s measured, longer than the edit itself).
    /// Called where other work runs meanwhile (the app's build, the config clone). Nothing waits for it: were it to
    /// fail, the real edit would report the same failure properly.
    /// </summary>
    public static void StartWarmUp() => _ = WarmUpOnce.Value;

    private static readonly Lazy<Task> WarmUpOnce = new(() => Task.Run(WarmUp));

    // Returns the edit so that a test can check the warm-up really edits (a warm-up that edits nothing warms up little).
    internal static ManifestEditResult WarmUp() =>
        Edit("warm-up.yaml", WarmUpManifest, ImageReference.Parse("registry.example.com/team/app:1a2b3c4"));

    // Two documents, so the slicing path runs too; quoted and plain scalars, a comment.
    private static readonly byte[] WarmUpManifest = System.Text.Encoding.UTF8.GetBytes("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: app }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: "registry.example.com/team/app:0" # the one changed
                - name: sidecar
                  image: registry.example.com/team/sidecar:1
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: app }

        """);

    // sliceDocuments: false parses every document (the slow path, for tests comparing the two).
    internal static ManifestEditResult Edit(string path, byte[] content, ImageReference newImage, ManifestEditOptions? options, bool sliceDocuments)
    {
        var result = TryEdit(path, content, newImage, options, sliceDocuments);
        if (result.Replacements.Count == 0)
        {
            throw new GitOpsException(Errors.NoImageReference, newImage.Name, path,
                result.ImagesFound.Count == 0 ? "none" : string.Join(", ", result.ImagesFound));
        }
        return result;
    }

    internal static ManifestEditResult TryEdit(string path, byte[] content, ImageReference newImage, ManifestEditOptions? options, bool sliceDocuments)
    {
        options ??= new ManifestEditOptions();
        var values = new NewImageValues(newImage, options.ReferenceFormat);
        var manifest = ManifestText.Decode(path, content);
        if (sliceDocuments && TryEditSlices(manifest, content, values, options) is { } result)
        {
            return result;
        }

        var whole = YamlTreeReader.Read(manifest);
        var format = options.Format ?? ManifestFormatDetector.Detect(manifest, whole.Documents.Count, whole.Documents);
        return Edit(manifest, content, whole.Documents, [whole.Slice], [whole.Events], format, values, options);
    }

    /// <summary>
    /// Parses each document on its own, and each at most once: first only those that could name the image, which are
    /// all a match needs; every document only when the candidates hold no match (GITOPS040 then lists every image in
    /// the file) or the file is a kustomization (edited by position). Null leaves the file to the whole parse: one
    /// document, a ValuePath or Kustomize format (by position), or a slice that does not parse alone as one document
    /// (the whole parse then reports any error with its real position).
    /// </summary>
    private static ManifestEditResult? TryEditSlices(ManifestText manifest, byte[] content, NewImageValues values, ManifestEditOptions options)
    {
        if (options.ValuePath is not null || options.Format is ManifestFormat.Kustomize
            || YamlDocumentSlicer.Slice(manifest.Text) is not { } slices || slices.Count(s => s.IsDocument) < 2)
        {
            return null;
        }

        // Every spelling of the repository (registry or not, docker.io, library/) ends with its last path segment;
        // a backslash may be an escape spelling it. A setter marker names a policy, which may not name the repository.
        var name = values.Image.Repository[(values.Image.Repository.LastIndexOf('/') + 1)..];
        bool CouldName(DocumentSlice slice)
        {
            var text = manifest.Text.AsSpan(slice.Start, slice.Length);
            return text.Contains(name, StringComparison.OrdinalIgnoreCase) || text.Contains('\\') || text.Contains("!!binary", StringComparison.Ordinal)
                || text.Contains(ImagePolicyMarkers.PolicyKey, StringComparison.Ordinal);
        }

        // Each slice parsed once, when first needed; its events are kept for the verifier.
        var parsed = new ParsedSlice?[slices.Count];
        YamlDocumentNode Document(int index) =>
            (parsed[index] ??= YamlTreeReader.ReadSlice(manifest.Text, slices[index])).Documents is [var document]
                ? document
                : throw new YamlException("Not one document."); // the slicer and the parser disagree
        IReadOnlyList<IReadOnlyList<ParsingEvent>?> Events() => [.. parsed.Select(p => p?.Events)];

        try
        {
            var documents = Enumerable.Range(0, slices.Count).Where(i => slices[i].IsDocument).ToList();
            var candidates = documents.Where(i => CouldName(slices[i])).Select(Document).ToList();
            var format = options.Format ?? ManifestFormatDetector.Detect(manifest, documents.Count,
                candidates.Concat(documents.Where(i => !CouldName(slices[i])).Select(Document)));
            if (format is not ManifestFormat.Kustomize && candidates.Count > 0)
            {
                var result = Edit(manifest, content, candidates, slices, Events(), format, values, options);
                if (result.Replacements.Count > 0)
                {
                    return result;
                }
            }

            return Edit(manifest, content, documents.Select(Document).ToList(), slices, Events(), format, values, options);
        }
        catch (YamlException)
        {
            return null;
        }
    }

    private static ManifestEditResult Edit(ManifestText manifest, byte[] content, IReadOnlyList<YamlDocumentNode> documents, IReadOnlyList<DocumentSlice> slices,
        IReadOnlyList<IReadOnlyList<ParsingEvent>?> sliceEvents, ManifestFormat format, NewImageValues values, ManifestEditOptions options)
    {
        var plan = new EditPlan(manifest, documents, slices, sliceEvents);
        switch (format)
        {
            case ManifestFormat.Kustomize:
                KustomizeImages.Collect(documents, plan, values, options.AddIfMissing);
                break;
            case ManifestFormat.Helm:
                HelmValuesImages.Collect(documents.Select(d => d.Root), plan, values, options);
                break;
            case ManifestFormat.Marker:
                ImagePolicyMarkers.Collect(documents, plan, values, options.ImagePolicy);
                break;
            default:
                KubernetesWorkloadImages.Collect(documents, plan, values, options);
                break;
        }

        return plan.HasMatches ? plan.Apply() : new ManifestEditResult(content, [], plan.ImagesFound);
    }
}
