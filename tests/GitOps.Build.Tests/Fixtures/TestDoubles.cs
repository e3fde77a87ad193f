using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// An IConfigChange from a function that proposes new contents, counting how often the writer applied it. It compares
/// them with the tree itself, as a change must: the writer commits what the change says differs.
/// </summary>
internal sealed class FunctionChange(Func<IConfigTree, int, IReadOnlyDictionary<string, byte[]>> apply) : IConfigChange
{
    public int Applications { get; private set; }

    /// <summary>Replaces <paramref name="oldText"/> by <paramref name="newText"/> in one file, as an image update would.</summary>
    public static FunctionChange Replace(string path, string oldText, string newText, Action<int>? beforeApply = null) =>
        new((tree, application) =>
        {
            beforeApply?.Invoke(application);
            if (!tree.TryReadFile(path, out var content))
                return new Dictionary<string, byte[]>();
            return new Dictionary<string, byte[]>
            {
                [path] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace(oldText, newText, StringComparison.Ordinal)),
            };
        });

    public AppliedChange Apply(IConfigTree tree)
    {
        var changes = new List<ConfigFileChange>();
        foreach (var (path, content) in apply(tree, ++Applications).OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            var old = tree.TryReadFile(path, out var existing) ? existing : [];
            if (!old.AsSpan().SequenceEqual(content))
                changes.Add(new ConfigFileChange(path, old, content));
        }
        return new AppliedChange(changes);
    }
}

internal sealed class RecordingLog : IBuildLog
{
    public List<string> Important { get; } = [];

    public List<string> Detail { get; } = [];

    /// <summary>Called with every line as it is logged: lets a test act at a precise point of the write-back.</summary>
    public Action<string>? OnLine { get; init; }

    void IBuildLog.Important(string message) => Add(Important, message);

    void IBuildLog.Detail(string message) => Add(Detail, message);

    void IBuildLog.Warning(GitOpsError warning, params object?[] args) => Add(Important, $"warning {warning.Code}: {warning.Format(args)}");

    private void Add(List<string> lines, string message)
    {
        lock (lines) lines.Add(message);
        OnLine?.Invoke(message);
    }
}
