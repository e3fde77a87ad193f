using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Manifests;

/// <summary>Runs <see cref="ManifestEditor"/> on text and compares bytes, so a test states input and expected output verbatim.</summary>
internal static class ManifestEditAssert
{
    public static ManifestEditResult Edit(string input, string image, ManifestEditOptions? options = null) =>
        ManifestEditor.Edit("manifest.yaml", Encoding.UTF8.GetBytes(input), ImageReference.Parse(image), options);

    public static void Edits(string input, string image, string expected, ManifestEditOptions? options = null)
    {
        var result = Edit(input, image, options);
        Assert.AreEqual(expected, Encoding.UTF8.GetString(result.Content));
        Assert.IsTrue(result.Changed);
    }

    public static GitOpsException Fails(string input, string image, GitOpsError error, ManifestEditOptions? options = null)
    {
        var exception = Assert.ThrowsExactly<GitOpsException>(() => Edit(input, image, options));
        Assert.AreEqual(error, exception.Error, exception.Message);
        return exception;
    }
}
