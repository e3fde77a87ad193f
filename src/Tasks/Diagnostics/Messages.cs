namespace GitOps.Build.Diagnostics;

/// <summary>
/// Every line GitOps.Build logs that is not an error: one place, so the output reads as one voice. The text is in
/// Strings.resx under the method's name (pieces of a line under names that extend it); this fills it in.
/// </summary>
internal static class Messages
{
    public static string TagResolved(string tag, string commit, string origin, TimeSpan elapsed) =>
        Strings.Format(nameof(TagResolved), tag, commit, origin, Duration(elapsed));

    public static string TagFromProperty(string tag) => Strings.Format(nameof(TagFromProperty), tag);

    public static string ImagePushed(string image, string digest, TimeSpan? elapsed) =>
        Strings.Format(nameof(ImagePushed), image, digest, elapsed is { } e ? " " + Duration(e) : "");

    public static string ImageArchived(string image, string digest, string archive) =>
        Strings.Format(nameof(ImageArchived), image, digest, archive);

    public static string ConfigCommitted(string image, string repository, string branch, string commit, TimeSpan elapsed) =>
        Strings.Format(nameof(ConfigCommitted), image, repository, branch, commit, Duration(elapsed));

    public static string ReleaseEntryWritten(string image, string repository) =>
        Strings.Format(nameof(ReleaseEntryWritten), image, repository);

    public static string ReleaseStarted(string directory) => Strings.Format(nameof(ReleaseStarted), directory);

    public static string ReleaseDeploying(int images, int commits) => Strings.Format(nameof(ReleaseDeploying), images, commits);

    public static string AlreadyDeployed(string image, string repository, string branch) =>
        Strings.Format(nameof(AlreadyDeployed), image, repository, branch);

    public static string DryRunDiff(string repository, string branch, string diff) =>
        diff.Length == 0
            ? Strings.Format("DryRunUpToDate", repository, branch)
            : Strings.Format(nameof(DryRunDiff), repository, branch, diff.TrimEnd());

    public static string DeployOrderUnchecked(string reason) => Strings.Format(nameof(DeployOrderUnchecked), reason);

    public static string DowngradeAllowed(string oldImage, string oldCommit, string newCommit) =>
        Strings.Format(nameof(DowngradeAllowed), oldImage, oldCommit, newCommit);

    public static string CloneRetry(int attempt, int attempts, string url, string reason) =>
        Strings.Format(nameof(CloneRetry), attempt, attempts, url, reason);

    public static string CloneRaced(int attempt, int attempts, string url, string reason) =>
        Strings.Format(nameof(CloneRaced), attempt, attempts, url, reason);

    public static string Cloned(string url, string branch, string tip, TimeSpan elapsed) =>
        Strings.Format(nameof(Cloned), url, branch, tip, Duration(elapsed));

    public static string Fetched(string url, string branch, string tip, TimeSpan elapsed) =>
        Strings.Format(nameof(Fetched), url, branch, tip, Duration(elapsed));

    public static string FetchedTreeless(string url, string branch, string tip, TimeSpan elapsed) =>
        Strings.Format(nameof(FetchedTreeless), url, branch, tip, Duration(elapsed));

    public static string TreelessUnavailable(string url, string reason) => Strings.Format(nameof(TreelessUnavailable), url, reason);

    public static string RefInWantDeclined(string url, string reason) => Strings.Format(nameof(RefInWantDeclined), url, reason);

    public static string TreelessTransfer(int roundTrips, long sent, long received, TimeSpan serverWait) =>
        Strings.Format(nameof(TreelessTransfer), roundTrips, sent, received, (long)serverWait.TotalMilliseconds);

    public static string ConfigInputsParsedAgain(string key) => Strings.Format(nameof(ConfigInputsParsedAgain), key);

    public static string CloningDuringBuild(string url, string branch) => Strings.Format(nameof(CloningDuringBuild), url, branch);

    public static string ClonedDuringBuild(string url, string branch, string tip, TimeSpan elapsed) =>
        Strings.Format(nameof(ClonedDuringBuild), url, branch, tip, Duration(elapsed));

    public static string CloneDuringBuildFailed(string reason) => Strings.Format(nameof(CloneDuringBuildFailed), reason);

    public static string BranchMovedDuringBuild(string branch) => Strings.Format(nameof(BranchMovedDuringBuild), branch);

    public static string StaleClonesDeleted(int count, string directory) => Strings.Format(nameof(StaleClonesDeleted), count, directory);

    public static string CloneDirectory(string directory) => Strings.Format(nameof(CloneDirectory), directory);

    public static string InterruptedPushLanded(string commit, string branch) => Strings.Format(nameof(InterruptedPushLanded), commit, branch);

    public static string NoChange(string branch) => Strings.Format(nameof(NoChange), branch);

    public static string FileChanged(string path, int oldLength, int newLength) =>
        Strings.Format(nameof(FileChanged), path, oldLength, newLength);

    public static string Committed(string commit, int files, string branch, TimeSpan elapsed) =>
        Strings.Format(nameof(Committed), commit, files, branch, Duration(elapsed));

    public static string PushInterrupted(int attempt, int attempts, string url, string reason) =>
        Strings.Format(nameof(PushInterrupted), attempt, attempts, url, reason);

    public static string Pushed(string commit, string branch, string url, TimeSpan elapsed) =>
        Strings.Format(nameof(Pushed), commit, branch, url, Duration(elapsed));

    public static string RollbackStarted(string deployCommit, string branch, string repository) =>
        Strings.Format(nameof(RollbackStarted), deployCommit, branch, repository);

    public static string RolledBack(string deployCommit, string branch, string repository, string revertCommit) =>
        Strings.Format(nameof(RolledBack), deployCommit, branch, repository, revertCommit);

    public static string BranchMoved(string branch, int attempt, int attempts) => Strings.Format(nameof(BranchMoved), branch, attempt, attempts);

    public static string ForgeTipRead(string url, string branch, string tip, string forge, TimeSpan elapsed) =>
        Strings.Format(nameof(ForgeTipRead), url, branch, tip, forge, Duration(elapsed));

    public static string ForgeCommitted(string commit, string branch, string url, string forge, TimeSpan elapsed) =>
        Strings.Format(nameof(ForgeCommitted), commit, branch, url, forge, Duration(elapsed));

    public static string ForgeBranchMoved(string branch, int attempt, int attempts) => Strings.Format(nameof(ForgeBranchMoved), branch, attempt, attempts);

    public static string ForgeRetry(int attempt, int attempts, string url, string reason) => Strings.Format(nameof(ForgeRetry), attempt, attempts, url, reason);

    public static string TemplateSkipped(string path) => Strings.Format(nameof(TemplateSkipped), path);

    public static string SymbolicLinkSkipped(string path) => Strings.Format(nameof(SymbolicLinkSkipped), path);

    public static string Edited(string path, IEnumerable<int> lines, string newValues) =>
        Strings.Format(nameof(Edited), path, string.Join(", ", lines), newValues);

    /// <summary>
    /// The one way lists go into a message: the first <paramref name="shown"/> items, then how many more, so that a
    /// directory of thousands of files makes a line, not a page.
    /// </summary>
    public static string List(IReadOnlyCollection<string> items, int shown = 20) =>
        items.Count <= shown
            ? string.Join(", ", items)
            : Strings.Format("ListMore", string.Join(", ", items.Take(shown)), items.Count - shown);

    /// <summary>The one way commits are shown: git's default abbreviation (7 hex digits).</summary>
    public static string ShortSha(string sha) => sha[..Math.Min(sha.Length, 7)];

    public static string CommitSigned(string format) => Strings.Format(nameof(CommitSigned), format);

    public static string ForgeApiCommits(string forge, string api, bool gitHubApp) =>
        Strings.Format(nameof(ForgeApiCommits), forge, api, gitHubApp ? Strings.Format("ForgeApiCommitsGitHubApp") : ".");

    public static string ForgeApiReads(string forge, string api) => Strings.Format(nameof(ForgeApiReads), forge, api);

    public static string EnvironmentSelected(string environment, IEnumerable<string> manifests, string branch) =>
        Strings.Format(nameof(EnvironmentSelected), environment, string.Join(", ", manifests),
            branch.Length > 0 ? Strings.Format("EnvironmentBranch", branch) : "");

    public static string PromotionSource(string environment, string branch, string tip, string image, string? deployCommit, string? sourceCommit) =>
        Strings.Format(nameof(PromotionSource), environment, branch, ShortSha(tip), image,
            deployCommit is null ? Strings.Get("PromotionDeployCommitNotFound") : Strings.Format("PromotionDeployedIn", ShortSha(deployCommit)),
            sourceCommit is null ? "" : Strings.Format("PromotionFromSourceCommit", sourceCommit));

    public static string StatusLine(string environment, string branch, string image, string? sourceCommit, string? deployCommit, DateTimeOffset? date,
        string? buildUrl, string head) =>
        Strings.Format(nameof(StatusLine), environment, branch, image,
            sourceCommit is null ? "" : Strings.Format("StatusFromCommit", sourceCommit),
            deployCommit is null ? Strings.Get("StatusDeployCommitNotFound") : Strings.Format("StatusDeployedIn", ShortSha(deployCommit), Date(date)),
            buildUrl is null ? "" : Strings.Format("StatusBy", buildUrl),
            head);

    /// <summary>A commit date as the status shows it: UTC, to the second, whatever the machine's culture.</summary>
    public static string Date(DateTimeOffset? date) =>
        date?.ToUniversalTime().ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss' UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public static string StatusUnknown(string environment, string reason) => Strings.Format(nameof(StatusUnknown), environment, reason);

    /// <summary>GitOpsStatus: the agent's last verdict on an environment's deploy commit.</summary>
    public static string StatusVerdict(string environment, string verdict) => Strings.Format(nameof(StatusVerdict), environment, verdict);

    public static string StatusWritten(string path) => Strings.Format(nameof(StatusWritten), path);

    /// <summary>The one way durations are shown: seconds with two decimals, in brackets.</summary>
    public static string Duration(TimeSpan elapsed) => Strings.Format(nameof(Duration), elapsed.TotalSeconds);
}
