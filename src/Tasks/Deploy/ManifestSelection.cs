using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>
/// What a manifest path names in the config tree: one file, every YAML file under a directory, or the files a
/// glob matches (`*` within a folder, `**` across folders). Only a glob or directory lists the tree; a file is read alone.
/// </summary>
internal static class ManifestSelection
{
    /// <summary>
    /// The files <paramref name="path"/> names, found without reading any: the file itself, or what a directory or glob
    /// selects (symbolic links included, flagged, for the caller to skip).
    /// </summary>
    public static Selected Expand(IConfigTree tree, ManifestPath path, string branchForMessages, string repositoryForMessages)
    {
        IEnumerable<ConfigTreeFile> files;
        if (path.IsPattern)
            files = tree.ListFiles(path.Directory, path.Matches);
        else
        {
            if (tree.FindFile(path.Value) is { } file) return new Selected([file], IsSelection: false);
            var below = tree.ListFiles(path.Value).ToList();
            if (below.Count == 0)
                throw new GitOpsException(Errors.ManifestNotFound, path.Value, branchForMessages, repositoryForMessages);
            files = below.Where(file => IsYaml(file.Path));
        }

        var selected = files.OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
        if (selected.Count == 0)
            throw new GitOpsException(Errors.ManifestPatternMatchedNothing, path.Value, repositoryForMessages);
        return new Selected(selected, IsSelection: true);
    }

    /// <summary>What <see cref="Expand"/> reads of the tree for <paramref name="path"/>: a glob's listing, or a file that may be a directory.</summary>
    public static TreeRead Read(ManifestPath path) =>
        path.IsPattern ? TreeRead.Directory(path.Directory, path.Matches) : TreeRead.FileOrDirectory(path.Value);

    /// <summary>What a manifest path names.</summary>
    /// <param name="Files">In path order.</param>
    /// <param name="IsSelection">
    /// Chosen by a directory or glob, which passes over what is not a manifest (templates, links); false for a file
    /// named on its own, which is meant to be edited.
    /// </param>
    public sealed record Selected(IReadOnlyList<ConfigTreeFile> Files, bool IsSelection);

    /// <summary>
    /// Holds Go template actions (<c>{{ … }}</c>), as a Helm chart's templates/ do. A directory or glob skips such a
    /// file when it does not parse: it is YAML only once rendered, and the chart's image is set in its values.
    /// </summary>
    public static bool IsGoTemplate(byte[] content) => content.AsSpan().IndexOf("{{"u8) >= 0;

    private static bool IsYaml(string file) =>
        file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
