using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// GitOpsCommitMethod=api's read of a branch (a promotion's source environment, GitOpsStatus's environments, a rollback's deploy commit): its tip, its files through
/// <see cref="ForgeTree"/> and the history of some of them through the forge's path-filtered commit listing, with no
/// clone. Every call is bounded by the same deadline as the write (GitOpsConfigTimeout, Ctrl+C).
/// </summary>
internal sealed class ForgeConfigReader(IForgeCommits forge, Deadline deadline) : IConfigReader
{
    public T Read<T>(ConfigRepositoryLocation location, string? branch, Func<IConfigSnapshot, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(read);
        var display = location.DisplayUrl;
        deadline.ThrowIfExpired(display);
        branch ??= Run(forge.DefaultBranchAsync(deadline.Token));
        var tip = Run(forge.ReadTipAsync(branch, deadline.Token)) ?? throw new GitOpsException(Errors.ConfigBranchMissing, branch, display);
        return read(new Snapshot(forge, tip, deadline, display));
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private sealed class Snapshot(IForgeCommits forge, ForgeTip tip, Deadline deadline, string display) : IConfigSnapshot
    {
        public string Branch => tip.Branch;

        public string TipSha => tip.Sha;

        public IConfigTree Tree { get; } = new ForgeTree(forge, tip, deadline, display);

        /// <remarks>
        /// One listing per file, in the forge's order; several files' changes are merged newest first by committer date, each commit once.
        /// <paramref name="limit"/> bounds the changes listed per file (a clone walks that many commits of the branch).
        /// </remarks>
        public ConfigCommitInfo? FindLastChange(IReadOnlyCollection<string> paths, Func<string, bool?> accept, int limit)
        {
            var files = paths.Distinct(StringComparer.Ordinal).ToList();
            var changes = new List<ForgeChange>();
            foreach (var path in files)
            {
                deadline.ThrowIfExpired(display);
                changes.AddRange(Run(forge.HistoryAsync(tip, path, limit, deadline.Token)));
            }
            IEnumerable<ForgeChange> ordered = files.Count > 1 ? changes.OrderByDescending(c => c.Date) : changes;
            foreach (var change in ordered.DistinctBy(c => c.Sha, StringComparer.OrdinalIgnoreCase).Take(limit))
            {
                deadline.ThrowIfExpired(display);
                var message = change.Message ?? Run(forge.MessageAsync(tip, change.Sha, deadline.Token));
                switch (accept(message))
                {
                    case true:
                        return new ConfigCommitInfo(change.Sha, message, change.Date);
                    case null:
                        return null;
                }
            }
            return null;
        }

        public CommitFileChanges TipChanges() => ForgeTipChanges.Read(forge, tip, deadline, display);
    }
}
