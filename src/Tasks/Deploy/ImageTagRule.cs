using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>GitOpsImageTag checked with ImageReference's own grammar, before anything is built or pushed.</summary>
internal static class ImageTagRule
{
    /// <exception cref="GitOpsException">GITOPS014 when the tag is not a valid OCI tag.</exception>
    public static string Validate(string tag)
    {
        // A tag is valid exactly when a reference ending in it parses back to the same tag ('/', '@', ':' would not).
        if (ImageReference.TryParse("tag-check:" + tag, out var reference) && reference.Tag == tag)
            return tag;
        throw new GitOpsException(Errors.ImageTagInvalid, tag);
    }
}
