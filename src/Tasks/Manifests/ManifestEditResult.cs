namespace GitOps.Build.Manifests;

/// <summary>One scalar that holds (part of) the image reference: where it starts (1-based line and column), what it held and what it holds now.</summary>
internal sealed record ImageReplacement(int Line, int Column, string OldValue, string NewValue);

/// <summary>The edited file bytes, the scalars that matched, and every image reference the format found (for messages).</summary>
internal sealed record ManifestEditResult(byte[] Content, IReadOnlyList<ImageReplacement> Replacements, IReadOnlyList<string> ImagesFound)
{
    /// <summary>Whether any matched scalar got a new value; false when the manifest already holds the new image.</summary>
    public bool Changed => Replacements.Any(r => r.OldValue != r.NewValue);
}
