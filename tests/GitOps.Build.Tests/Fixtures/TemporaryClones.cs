namespace GitOps.Build.Tests.Fixtures;

/// <summary>The check every write-back test ends with: the directory the writer was given for its temporary clones is empty.</summary>
internal static class TemporaryClones
{
    /// <summary>Nothing is left in <paramref name="workDirectory"/> (clones, ssh and gpg homes, key files), or it was never made.</summary>
    public static void AssertNoneLeft(string workDirectory)
    {
        var left = Directory.Exists(workDirectory) ? Directory.GetFileSystemEntries(workDirectory) : [];
        CollectionAssert.AreEqual(Array.Empty<string>(), left, "left behind: " + string.Join(", ", left));
    }
}
