using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class UnifiedDiffTests
{
    private static ConfigFileChange Change(string before, string after) =>
        new("apps/web/deployment.yaml", Encoding.UTF8.GetBytes(before), Encoding.UTF8.GetBytes(after));

    [TestMethod]
    public void An_in_place_edit_shows_one_hunk_with_three_lines_of_context()
    {
        var before = "a\nb\nc\nd\nimage: x:1\ne\nf\ng\nh\n";
        var after = "a\nb\nc\nd\nimage: x:2\ne\nf\ng\nh\n";

        var diff = UnifiedDiff.Format([Change(before, after)]);

        Assert.AreEqual(
            "--- a/apps/web/deployment.yaml\n+++ b/apps/web/deployment.yaml\n" +
            "@@ -2,7 +2,7 @@\n b\n c\n d\n-image: x:1\n+image: x:2\n e\n f\n g\n", diff);
    }

    [TestMethod]
    public void Distant_edits_get_separate_hunks_and_near_ones_share_one()
    {
        var lines = Enumerable.Range(1, 30).Select(i => $"l{i}").ToArray();
        var changed = (string[])lines.Clone();
        changed[1] = "X2";
        changed[4] = "X5";
        changed[25] = "X26";

        var diff = UnifiedDiff.Format([Change(string.Join('\n', lines) + "\n", string.Join('\n', changed) + "\n")]);

        Assert.AreEqual(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        StringAssert.Contains(diff, "@@ -1,8 +1,8 @@");
        StringAssert.Contains(diff, "@@ -23,7 +23,7 @@");
    }

    [TestMethod]
    public void Unchanged_lines_between_two_near_edits_stay_context()
    {
        var diff = UnifiedDiff.Format([Change("a\nimage: x:1\nb\nimage: x:1\nc\n", "a\nimage: x:2\nb\nimage: x:2\nc\n")]);

        StringAssert.Contains(diff, "@@ -1,5 +1,5 @@\n a\n-image: x:1\n+image: x:2\n b\n-image: x:1\n+image: x:2\n c\n");
    }

    [TestMethod]
    public void Added_lines_become_one_hunk()
    {
        var diff = UnifiedDiff.Format([Change("images:\n- name: a\n", "images:\n- name: a\n- name: b\n  newTag: \"1\"\n")]);

        StringAssert.Contains(diff, "@@ -1,2 +1,4 @@\n images:\n - name: a\n+- name: b\n+  newTag: \"1\"\n");
    }

    [TestMethod]
    public void CRLF_and_BOM_do_not_show_as_changes()
    {
        var diff = UnifiedDiff.Format([Change("\uFEFFa: 1\r\nb: 2\r\n", "\uFEFFa: 1\r\nb: 3\r\n")]);

        StringAssert.Contains(diff, "@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n");
    }
}
