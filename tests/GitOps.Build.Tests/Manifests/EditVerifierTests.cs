using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Manifests;

/// <summary>The re-parse check refuses any edit that changes more than the planned scalars.</summary>
[TestClass]
public sealed class EditVerifierTests
{
    private const string Original = "a: x # c\nb: [1, 2]\n";

    [TestMethod]
    public void A_planned_scalar_change_passes()
    {
        var edit = new TextEdit(3, 4, "'y'");

        EditVerifier.Verify(Text(Original), TextSplicer.Apply(Original, [edit]), [edit], new Dictionary<int, string> { [4] = "y" });
    }

    [TestMethod]
    [DataRow("y\nc: d", "y", "structure changed")]
    [DataRow("[y]", "y", "structure changed")]
    [DataRow("'z'", "y", "'x' became 'z', not 'y'")]
    [DataRow("y #", "y #", "'x' became 'y', not 'y #'")]
    [DataRow("y: z", "y: z", "does not parse")]
    [DataRow("1234567", "1234567", "would be read as a number")]
    public void ReplacementThatChangesStructureOrValue_IsRefused(string replacement, string expected, string detail)
    {
        var edit = new TextEdit(3, 4, replacement);

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            EditVerifier.Verify(Text(Original), TextSplicer.Apply(Original, [edit]), [edit], new Dictionary<int, string> { [4] = expected }));

        Assert.AreEqual(Errors.ManifestEditUnverifiable, error.Error);
        StringAssert.Contains(error.Message, detail);
    }

    [TestMethod]
    public void An_unplanned_scalar_change_is_refused()
    {
        var edit = new TextEdit(3, 4, "y");

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            EditVerifier.Verify(Text(Original), TextSplicer.Apply(Original, [edit]), [edit], new Dictionary<int, string>()));

        StringAssert.Contains(error.Message, "unedited scalar 'x'");
    }

    [TestMethod]
    public void A_change_outside_the_edits_is_refused()
    {
        var edit = new TextEdit(3, 4, "y");
        var edited = TextSplicer.Apply(Original, [edit]).Replace("# c", "# C");

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            EditVerifier.Verify(Text(Original), edited, [edit], new Dictionary<int, string> { [4] = "y" }));

        StringAssert.Contains(error.Message, "text after the last edit changed");
    }

    private static ManifestText Text(string text) => ManifestText.Decode("m.yaml", System.Text.Encoding.UTF8.GetBytes(text));
}
