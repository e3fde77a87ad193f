using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>The texts written for the new image under the chosen <see cref="ImageReferenceFormat"/>: one place decides which parts go in.</summary>
internal sealed class NewImageValues
{
    public NewImageValues(ImageReference image, ImageReferenceFormat format)
    {
        var (needsTag, needsDigest) = format switch
        {
            ImageReferenceFormat.Digest => (false, true),
            ImageReferenceFormat.TagAndDigest => (true, true),
            _ => (true, false),
        };
        if ((needsTag && image.Tag is null) || (needsDigest && image.Digest is null))
        {
            throw new GitOpsException(Errors.ImageReferenceFormatUnsatisfied, format, image, needsTag && image.Tag is null ? "tag" : "digest");
        }

        Image = image;
        Tag = needsTag ? image.Tag : null;
        Digest = needsDigest ? image.Digest : null;
        FullReference = new ImageReference(image.Registry, image.Repository, Tag, Digest).ToString();
    }

    public ImageReference Image { get; }

    /// <summary>[registry/]repository[:tag][@digest] as the format asks.</summary>
    public string FullReference { get; }

    /// <summary>The tag to write, or null when the format writes no tag.</summary>
    public string? Tag { get; }

    /// <summary>The digest to write, or null when the format writes no digest.</summary>
    public string? Digest { get; }

    /// <summary>The tag even when the format writes none, for a place that explicitly holds a tag.</summary>
    public string RequiredTag => Image.Tag ?? throw new GitOpsException(Errors.ImageReferenceFormatUnsatisfied, ImageReferenceFormat.Tag, Image, "tag");

    /// <summary>The digest even when the format writes none, for a place that explicitly holds a digest.</summary>
    public string RequiredDigest => Image.Digest ?? throw new GitOpsException(Errors.ImageReferenceFormatUnsatisfied, ImageReferenceFormat.Digest, Image, "digest");

    /// <summary>Whether <paramref name="text"/> is an image reference to the new image's repository.</summary>
    public bool Names(string? text) =>
        text is not null && ImageReference.TryParse(text, out var reference) && reference.HasSameRepository(Image);

    /// <summary>[registry/]repository.</summary>
    public string Name => Image.Name;
}
