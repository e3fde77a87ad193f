using System.Security.Cryptography;
using System.Text.Json;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tasks;

/// <summary>
/// A release entry on disk: &lt;project&gt;-&lt;SHA-256 of its bytes&gt;.json in the release directory (which only this
/// user may write). The name is the checksum: an entry changed after its project wrote it (between the image push and
/// the release's commit) no longer matches its name, and the release refuses it (GITOPS111) instead of committing it.
/// </summary>
internal static class ReleaseEntryFile
{
    /// <summary>An entry is a few kilobytes; a larger file is not one of ours.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Write(string directory, string? projectPath, ReleaseEntry entry)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
        var name = Path.GetFileNameWithoutExtension(projectPath ?? "project") + "-" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        var path = Path.Combine(directory, name + ".json");
        // Written whole, then renamed: the release never reads half an entry.
        File.WriteAllBytes(path + ".tmp", bytes);
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>The entries of a release, in a stable order (the commit message, the trailers), whatever order the nodes finished in.</summary>
    /// <exception cref="GitOpsException">GITOPS110 for a file that is not an entry, GITOPS111 for one changed since it was written.</exception>
    public static List<ReleaseEntry> ReadAll(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*.json")
            .Select(Read)
            .OrderBy(entry => entry.Image.ProjectPath, StringComparer.Ordinal)
            .ThenBy(entry => entry.Image.Image, StringComparer.Ordinal)
            .ToList();
    }

    private static ReleaseEntry Read(string path)
    {
        // A regular file only: a FIFO placed there would block the release.
        var bytes = UserFile.ReadAllBytes(path, MaxBytes, problem => new GitOpsException(Errors.ReleaseEntryUnreadable, path, "it " + problem));
        ReleaseEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<ReleaseEntry>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new GitOpsException(Errors.ReleaseEntryUnreadable, path, e.Message);
        }
        if (entry is not { Inputs: not null, Image: not null })
            throw new GitOpsException(Errors.ReleaseEntryUnreadable, path, "it holds no entry");
        var checksum = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        if (!Path.GetFileNameWithoutExtension(path).EndsWith("-" + checksum, StringComparison.Ordinal))
            throw new GitOpsException(Errors.ReleaseEntryChanged, path);
        return entry;
    }
}
