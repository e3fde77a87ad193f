using System.Text;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// One entry of a tree object: mode (octal text, as stored), name and the id of what it names. <paramref name="RawName"/>:
/// the name's bytes where they are not UTF-8 (<paramref name="Name"/> then shows them as U+FFFD), written back as they were.
/// </summary>
/// <remarks>
/// The kind is the mode's file-type bits, as git reads them: old tools wrote a directory as <c>040000</c> or a file as
/// <c>100664</c>, and such an entry is still a tree or a file (taken for a file, a directory on the path of the manifest
/// was replaced by a tree of the manifest alone: every other file in it dropped from the commit).
/// </remarks>
internal sealed record TreeEntry(string Mode, string Name, string Id, byte[]? RawName = null)
{
    private int FileType => Convert.ToInt32(Mode, 8) & 0xF000;

    public bool IsTree => FileType == 0x4000;

    public bool IsSubmodule => FileType == 0xE000;

    public bool IsSymbolicLink => FileType == 0xA000;

    /// <summary>The name's bytes in the tree object.</summary>
    public byte[] NameBytes => RawName ?? Encoding.UTF8.GetBytes(Name);
}

/// <summary>Reads and writes tree objects byte for byte as git does (entries in git's order: a tree sorts as "name/").</summary>
internal static class TreeEntries
{
    /// <summary>
    /// The most entries a tree read here may hold. Git sets no bound, but a config repository's directory of a million
    /// files is hostile or broken: parsed, one 256 MiB tree of short names took about 1.8 GB (GITOPS149).
    /// </summary>
    public const int MaxEntries = 1_000_000;

    /// <summary>Whether the tree holds more than <paramref name="limit"/> entries: counted without parsing them (nothing allocated).</summary>
    public static bool HasMoreThan(ReadOnlySpan<byte> tree, int limit)
    {
        for (var count = 0; !tree.IsEmpty; count++)
        {
            if (count == limit) return true;
            var nul = tree.IndexOf((byte)0);
            if (nul < 0 || tree.Length < nul + 21) return false; // malformed: Parse says so
            tree = tree[(nul + 21)..];
        }
        return false;
    }

    public static List<TreeEntry> Parse(ReadOnlySpan<byte> tree)
    {
        var entries = new List<TreeEntry>();
        while (!tree.IsEmpty)
        {
            var space = tree.IndexOf((byte)' ');
            var nul = tree.IndexOf((byte)0);
            if (space <= 0 || space > 7 || nul < space || tree.Length < nul + 21 || tree[..space].ContainsAnyExceptInRange((byte)'0', (byte)'7'))
                throw new WireFormatException("a malformed tree entry");
            var name = tree[(space + 1)..nul];
            entries.Add(new TreeEntry(
                Encoding.ASCII.GetString(tree[..space]),
                Encoding.UTF8.GetString(name),
                Convert.ToHexString(tree.Slice(nul + 1, 20)).ToLowerInvariant(),
                System.Text.Unicode.Utf8.IsValid(name) ? null : name.ToArray()));
            tree = tree[(nul + 21)..];
        }
        return entries;
    }

    public static byte[] Write(IEnumerable<TreeEntry> entries)
    {
        using var output = new MemoryStream();
        foreach (var entry in entries.OrderBy(SortKey, StringComparer.Ordinal))
        {
            output.Write(Encoding.ASCII.GetBytes(entry.Mode + " "));
            output.Write(entry.NameBytes);
            output.WriteByte(0);
            output.Write(Convert.FromHexString(entry.Id));
        }
        return output.ToArray();
    }

    // git compares names as bytes, a tree's name as if it ended in '/'. Ordinal on the UTF-8 bytes' chars (Latin-1).
    private static string SortKey(TreeEntry entry) =>
        Encoding.Latin1.GetString(entry.NameBytes) + (entry.IsTree ? "/" : "");
}
