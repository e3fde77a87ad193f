using System.Text;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Tests.Fixtures;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// Issue 20, seventh probe: tree entries as the sixth probe's fix reads them (c3dec8a: the kind from the mode's
/// file-type bits, <see cref="TreeEntry.RawName"/>) and the count before parsing (GITOPS149), tried with what git
/// itself accepts oddly written. A tree read and written back unchanged is the same bytes; one written sorted is in
/// git's order, which git's own fsck checks.
/// </summary>
[TestClass]
public sealed class SeventhProbeTreeTests
{
    private static readonly byte[] Id = Enumerable.Repeat((byte)0x11, 20).ToArray();

    [TestMethod]
    [DataRow("40000", true, false, false)]
    [DataRow("040000", true, false, false)]
    [DataRow("040755", true, false, false)]   // a directory with permission bits (git reads S_IFDIR)
    [DataRow("1040000", true, false, false)]  // seven digits: still S_IFDIR for git
    [DataRow("160000", false, true, false)]
    [DataRow("0160000", false, true, false)]
    [DataRow("120000", false, false, true)]
    [DataRow("0120000", false, false, true)]
    [DataRow("100755", false, false, false)]
    [DataRow("100664", false, false, false)]
    [DataRow("0", false, false, false)]       // no type bits: a blob, as git takes it
    public void A_mode_s_kind_is_its_file_type_bits(string mode, bool tree, bool submodule, bool link)
    {
        var entry = TreeEntries.Parse(Entry(mode, "x"u8.ToArray())).Single();

        Assert.AreEqual(mode, entry.Mode, "the mode's text is kept, zero padding and all");
        Assert.AreEqual((tree, submodule, link), (entry.IsTree, entry.IsSubmodule, entry.IsSymbolicLink));
    }

    [TestMethod]
    [DataRow("8")]
    [DataRow("10064x")]
    [DataRow("10000000")]  // eight digits
    [DataRow("")]
    public void A_mode_that_is_not_up_to_seven_octal_digits_is_a_malformed_tree(string mode) =>
        Assert.ThrowsExactly<WireFormatException>(() => TreeEntries.Parse(Entry(mode, "x"u8.ToArray())));

    [TestMethod]
    public void Names_git_refuses_to_write_or_that_are_not_UTF_8_are_written_back_byte_for_byte()
    {
        // As sorted by git: bytes, a tree as if it ended in '/'. Each name is kept as it came.
        byte[][] names =
        [
            [],                                   // empty
            "a b"u8.ToArray(),
            "a/b"u8.ToArray(),                    // a slash inside a name
            "caf"u8.ToArray(),                    // written as a tree (040755): sorts as "caf/"
            "caf.yaml"u8.ToArray(),
            [(byte)'c', (byte)'a', (byte)'f', 0xC3, 0xA9],            // UTF-8 é
            [(byte)'c', (byte)'a', (byte)'f', 0xE9],                  // Latin-1 é
            [(byte)'c', (byte)'a', (byte)'f', 0xED, 0xA0, 0x80],      // an encoded surrogate (not UTF-8)
            [(byte)'c', (byte)'a', (byte)'f', 0xEF, 0xBB, 0xBF],      // a BOM inside
            [(byte)'c', (byte)'a', (byte)'f', 0xFF],
        ];
        var modes = names.Select(n => n.AsSpan().SequenceEqual("caf"u8) ? "040755" : "100644").ToArray();
        // git's order for the bytes above: "caf.yaml" (0x2E) before the tree "caf/" (0x2F), the rest bytewise.
        var order = new[] { 0, 1, 2, 4, 3, 5, 6, 7, 8, 9 };
        var tree = order.SelectMany(i => Entry(modes[i], names[i])).ToArray();

        var entries = TreeEntries.Parse(tree);

        CollectionAssert.AreEqual(tree, TreeEntries.Write(entries), "read and written back: the same bytes");
        CollectionAssert.AreEqual(tree, TreeEntries.Write(Enumerable.Reverse(entries)), "written from any order: git's");
        Assert.IsFalse(TreeEntries.HasMoreThan(tree, names.Length));
        Assert.IsTrue(TreeEntries.HasMoreThan(tree, names.Length - 1));
        StringAssert.DoesNotMatch(GitFsck(tree), new System.Text.RegularExpressions.Regex("treeNotSorted|duplicateEntries"));
        StringAssert.Contains(GitFsck(Enumerable.Reverse(order).SelectMany(i => Entry(modes[i], names[i])).ToArray()), "treeNotSorted",
            "the check itself: git's fsck reports a tree out of order");
    }

    [TestMethod]
    public void The_count_before_parsing_agrees_with_the_parse_at_the_bound()
    {
        var tree = Enumerable.Range(0, 1_000).SelectMany(i => Entry("100644", Encoding.ASCII.GetBytes(i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))).ToArray();

        Assert.IsFalse(TreeEntries.HasMoreThan(tree, 1_000));
        Assert.IsTrue(TreeEntries.HasMoreThan(tree, 999));
        Assert.AreEqual(1_000, TreeEntries.Parse(tree).Count);
        // A name holding what looks like the next entry's mode: the count follows the NUL, as the parse does.
        var tricky = Entry("100644", "x 100644 y"u8.ToArray());
        Assert.IsFalse(TreeEntries.HasMoreThan(tricky, 1));
        Assert.AreEqual(1, TreeEntries.Parse(tricky).Count);
    }

    private static byte[] Entry(string mode, byte[] name) => [.. Encoding.ASCII.GetBytes(mode + " "), .. name, 0, .. Id];

    // git fsck --strict's complaints about the tree (its entries name objects that do not exist: those are reported too).
    private static string GitFsck(byte[] tree)
    {
        var directory = Directory.CreateTempSubdirectory("gitops-probe-fsck-").FullName;
        try
        {
            GitCli.Run(directory, "init", "-q", "--bare", ".");
            GitCli.RunBytes(directory, tree, null, "hash-object", "-t", "tree", "-w", "--literally", "--stdin");
            return GitCli.Run(directory, "fsck", "--strict", "--no-dangling");
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
