using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// <see cref="IConfigTree"/> over a forge's API at one tip: a file named on its own is one read (content included), a
/// directory or glob lists only the directory it starts from, and a listed file's content is read when asked for. What
/// was read is kept for the round, so the change's several passes over a file cost one call. Every call is bounded by
/// the write's deadline (GitOpsConfigTimeout, Ctrl+C). Links are never followed (GITOPS050), as on a clone.
/// </summary>
internal sealed class ForgeTree(IForgeCommits forge, ForgeTip tip, Deadline deadline, string displayUrl) : IConfigTree
{
    private readonly Dictionary<string, ForgeFile?> read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ForgeEntry> listed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> contents = new(StringComparer.Ordinal);

    public string? TipMessage => tip.Message;

    public string? TipSha => tip.Sha;

    public ConfigTreeFile? FindFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (listed.TryGetValue(path, out var entry))
            return entry.IsSymbolicLink ? throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path) : new ConfigTreeFile(path, entry.Size);
        return Read(path) is { } file ? new ConfigTreeFile(path, file.Content.Length) : null;
    }

    public bool TryReadFile(string path, out byte[] content)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (contents.TryGetValue(path, out var known))
        {
            content = known;
            return true;
        }
        if (listed.TryGetValue(path, out var entry))
        {
            if (entry.IsSymbolicLink) throw new GitOpsException(Errors.ManifestIsSymbolicLink, path, path);
            deadline.ThrowIfExpired(displayUrl);
            content = contents[path] = Run(forge.ReadAsync(tip, entry, deadline.Token));
            return true;
        }
        if (Read(path) is { } file)
        {
            content = file.Content;
            return true;
        }
        content = [];
        return false;
    }

    public IEnumerable<ConfigTreeFile> ListFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        deadline.ThrowIfExpired(displayUrl);
        var entries = Run(forge.ListAsync(tip, directory, deadline.Token));
        var prefix = directory.Length > 0 ? directory + "/" : "";
        foreach (var entry in entries)
        {
            // The paths are the server's: one outside the directory, or one git refuses ("..", ".git"), would be another
            // file's edit, or a path outside the tree.
            if (!ConfigPath.IsCanonical(entry.Path) || !entry.Path.StartsWith(prefix, StringComparison.Ordinal))
                throw new GitOpsException(Errors.ApiAnswerUnusable, forge.Repository.Kind, UrlRedactor.Redact(forge.Repository.ApiRoot.ToString()),
                    $"the listing of '{directory}/'", $"it names '{(entry.Path.Length > 200 ? entry.Path[..200] + "…" : entry.Path)}', which is not a file path inside that directory");
            listed[entry.Path] = entry;
        }
        return [.. entries.Select(entry => new ConfigTreeFile(entry.Path, entry.Size, entry.IsSymbolicLink))];
    }

    /// <summary>The mode a file had, for the commit to keep: known from a listing or a read that says; else a regular file's.</summary>
    public string ModeOf(string path) =>
        (listed.TryGetValue(path, out var entry) ? entry.Mode : read.GetValueOrDefault(path)?.Entry.Mode) ?? ForgeEntry.RegularFile;

    /// <summary>The id a file was read or listed by (its blob sha where the forge has one); null for a file not there.</summary>
    public string? IdOf(string path) =>
        listed.TryGetValue(path, out var entry) ? entry.Id : read.GetValueOrDefault(path)?.Entry.Id;

    private ForgeFile? Read(string path)
    {
        if (read.TryGetValue(path, out var known)) return known;
        deadline.ThrowIfExpired(displayUrl);
        var file = Run(forge.ReadFileAsync(tip, path, deadline.Token));
        read[path] = file;
        if (file is not null) contents[path] = file.Content;
        return file;
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
