using System.Text;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// An in-memory config tree: the real one reads a LibGit2Sharp tree (covered in Git/), these tests are
/// about which files a change reads and what it returns.
/// </summary>
internal sealed class DictionaryTree(Dictionary<string, string> files) : IConfigTree
{
    public List<string> Reads { get; } = [];

    public bool TryReadFile(string path, out byte[] content)
    {
        Reads.Add(path);
        var found = files.TryGetValue(path, out var text);
        content = found ? Encoding.UTF8.GetBytes(text!) : [];
        return found;
    }

    public ConfigTreeFile? FindFile(string path) =>
        files.TryGetValue(path, out var text) ? new ConfigTreeFile(path, Encoding.UTF8.GetByteCount(text)) : null;

    public IEnumerable<ConfigTreeFile> ListFiles(string directory) =>
        files.Keys.Where(path => directory.Length == 0 || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal))
            .Select(path => FindFile(path)!);
}
