namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A read of the config tree, said before it is made: a treeless clone (<see cref="IObjectSupply"/>) fetches what
/// several reads need together, every tree of one depth in one request and every file in one more, instead of one
/// path after the other.
/// </summary>
/// <param name="Path">Repository-relative, '/' separators; "" is the root (a directory read only).</param>
/// <param name="Below">
/// What under a directory is read: null for a file read (<see cref="IConfigTree.FindFile"/>, <see cref="IConfigTree.TryReadFile"/>),
/// else the files of the subtree it accepts (by path; every one for a directory's whole listing).
/// </param>
/// <param name="OrDirectory">A file read that lists the subtree when the path is a directory: a manifest path that is not a glob.</param>
internal sealed record TreeRead(string Path, Func<string, bool>? Below, bool OrDirectory = false)
{
    private static readonly Func<string, bool> Every = _ => true;

    /// <summary>The file at <paramref name="path"/> (the trees on its way and its blob), if there is one.</summary>
    public static TreeRead File(string path) => new(path, null);

    /// <summary>The file at <paramref name="path"/>, or when it is a directory every file under it.</summary>
    public static TreeRead FileOrDirectory(string path) => new(path, null, OrDirectory: true);

    /// <summary>The trees under <paramref name="directory"/> and the files <paramref name="include"/> accepts (null: all of them).</summary>
    public static TreeRead Directory(string directory, Func<string, bool>? include = null) => new(directory, include ?? Every);

    /// <summary>Every file under the directory is read: it comes whole.</summary>
    public bool IsWholeDirectory => ReferenceEquals(Below, Every);
}
