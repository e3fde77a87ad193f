using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>Where a scalar's own text starts: YamlDotNet's Start mark includes the node's anchor and tag.</summary>
internal static class YamlScalarLocator
{
    /// <summary>The index in <paramref name="text"/>; <paramref name="offset"/> is where the parsed slice of it starts.</summary>
    public static int TextStart(string text, int offset, Scalar scalar)
    {
        var index = offset + checked((int)scalar.Start.Index);
        var end = offset + checked((int)scalar.End.Index);
        if (scalar.Anchor.IsEmpty && scalar.Tag.IsEmpty)
        {
            return index;
        }

        // Skip "&anchor" and "!tag" properties (neither holds white space) and the white space after them.
        while (index < end && text[index] is '&' or '!')
        {
            while (index < end && !char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            while (index < end && char.IsWhiteSpace(text[index]))
            {
                index++;
            }
        }

        return index;
    }
}
