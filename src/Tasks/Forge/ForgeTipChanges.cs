using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// What the tip commit changed, file by file, read through the forge's API (GitOpsCommitMethod=api): what a clone's
/// <c>ConfigRepositoryClone.TipChanges</c> reads from the tip and its parent, with the same verdicts. The forge's
/// report of the commit (<see cref="IForgeCommits.ChangesAsync"/>) gives its parents and the paths it changed; each
/// path reported modified is then read at the parent and at the tip, so a link, a file that is not one at either side,
/// or a mode that differs (where the forge's reads give modes) is named rather than written back.
/// </summary>
internal static class ForgeTipChanges
{
    public static CommitFileChanges Read(IForgeCommits forge, ForgeTip tip, Deadline deadline, string display)
    {
        deadline.ThrowIfExpired(display);
        var changes = Run(forge.ChangesAsync(tip, deadline.Token));
        if (changes.Parents.Count != 1)
            return Unrevertable(tip, changes.Parents.Count == 0 ? "it has no parent here" : "it is a merge commit");

        var parent = new ForgeTip(tip.Branch, changes.Parents[0], "", "");
        var files = new List<ConfigFileChange>();
        foreach (var change in changes.Files)
        {
            // Only a file whose bytes changed and nothing else can be undone by writing its old bytes back.
            if (change.Status != ForgeFileChange.Modified || (change.OldMode is { } before && change.NewMode is { } after && before != after))
                return Unrevertable(tip, $"{change.Path}: {change.Status}" + (change.OldMode != change.NewMode ? $", mode {change.OldMode} → {change.NewMode}" : ""));
            if (!ConfigPath.IsCanonical(change.Path))
                return Unrevertable(tip, $"{change.Path}: not a path a commit may write");
            var old = ReadFile(forge, parent, change.Path, deadline, display);
            var now = ReadFile(forge, tip, change.Path, deadline, display);
            if ((old.Why ?? now.Why) is { } why)
                return Unrevertable(tip, $"{change.Path}: modified ({why})");
            if (old.File!.Entry.Mode is { } oldMode && now.File!.Entry.Mode is { } newMode && oldMode != newMode)
                return Unrevertable(tip, $"{change.Path}: modified, mode {oldMode} → {newMode}");
            files.Add(new ConfigFileChange(change.Path, old.File.Content, now.File!.Content));
        }
        return new CommitFileChanges(tip.Sha, tip.Message, files, files.Count == 0 ? "it changes no file" : null);
    }

    // A link (its content is a path, never written back as a file's), or no file at all on that side.
    private static (ForgeFile? File, string? Why) ReadFile(IForgeCommits forge, ForgeTip at, string path, Deadline deadline, string display)
    {
        deadline.ThrowIfExpired(display);
        try
        {
            return Run(forge.ReadFileAsync(at, path, deadline.Token)) is { } file
                ? file.Entry.IsSymbolicLink ? (null, "a symbolic link") : (file, null)
                : (null, $"not a file at {Messages.ShortSha(at.Sha)}");
        }
        catch (GitOpsException e) when (e.Error == Errors.ManifestIsSymbolicLink)
        {
            return (null, "a symbolic link");
        }
    }

    private static CommitFileChanges Unrevertable(ForgeTip tip, string why) => new(tip.Sha, tip.Message, [], why);

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
