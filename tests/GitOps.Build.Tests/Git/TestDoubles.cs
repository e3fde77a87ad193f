using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Git;

namespace GitOps.Build.Tests.Git;

/// <summary>An IConfigChange from a function, counting how often the writer applied it.</summary>
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

    public IReadOnlyDictionary<string, byte[]> Apply(IConfigTree tree) => apply(tree, ++Applications);
}

internal sealed class RecordingLog : IBuildLog
{
    public List<string> Important { get; } = [];

    public List<string> Detail { get; } = [];

    void IBuildLog.Important(string message) => Important.Add(message);

    void IBuildLog.Detail(string message) => Detail.Add(message);

    void IBuildLog.Warning(GitOpsError warning, params object?[] args) => Important.Add(warning.Format(args));
}
