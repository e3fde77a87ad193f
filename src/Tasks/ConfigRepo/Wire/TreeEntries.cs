using System.Text;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>One entry of a tree object: mode (octal text, as stored), name and the id of what it names.</summary>
internal sealed record TreeEntry(string Mode, string Name, string Id)
{
    public bool IsTree => Mode == "40000";

    public bool IsSubmodule => Mode == "160000";

    public bool IsSymbolicLink => Mode == "120000";
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
            if (space <= 0 || nul < space || tree.Length < nul + 21)
                throw new WireFormatException("a malformed tree entry");
            entries.Add(new TreeEntry(
                Encoding.ASCII.GetString(tree[..space]),
                Encoding.UTF8.GetString(tree[(space + 1)..nul]),
                Convert.ToHexString(tree.Slice(nul + 1, 20)).ToLowerInvariant()));
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
            output.Write(Encoding.UTF8.GetBytes(entry.Name));
            output.WriteByte(0);
            output.Write(Convert.FromHexString(entry.Id));
        }
        return output.ToArray();
    }

    // git compares names as bytes, a tree's name as if it ended in '/'. Ordinal on the UTF-8 bytes' chars (Latin-1).
    private static string SortKey(TreeEntry entry) =>
        Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(entry.Name + (entry.IsTree ? "/" : "")));
}
