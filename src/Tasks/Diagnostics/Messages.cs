namespace GitOps.Build.Diagnostics;

/// <summary>Every line GitOps.Build logs that is not an error: one place, so the output reads as one voice.</summary>
internal static class Messages
{
    public static string TagResolved(string tag, string commit, string origin, TimeSpan elapsed) =>
        $"GitOps: image tag {tag} from commit {commit} ({origin}) {Duration(elapsed)}";

    public static string TagFromProperty(string tag) =>
        $"GitOps: image tag {tag} (GitOpsImageTag)";

    public static string ImagePushed(string image, string digest, TimeSpan? elapsed) =>
        $"GitOps: pushed image {image} ({digest}){(elapsed is { } e ? " " + Duration(e) : "")}";

    public static string ImageArchived(string image, string digest, string archive) =>
        $"GitOps: built {image} ({digest}) into {archive}; not pushed";

    public static string ConfigCommitted(string image, string repository, string branch, string commit, TimeSpan elapsed) =>
        $"GitOps: deployed {image} to {repository} ({branch}) in commit {commit} {Duration(elapsed)}";

    public static string ReleaseEntryWritten(string image, string repository) =>
        $"GitOps: {image} joins the release: it is deployed to {repository} with the other images once every project is published";

    public static string ReleaseStarted(string directory) => $"GitOps: release directory {directory}";

    public static string ReleaseDeploying(int images, int commits) =>
        $"GitOps: releasing {images} image(s) in {commits} config commit(s)";

    public static string AlreadyDeployed(string image, string repository, string branch) =>
        $"GitOps: {repository} ({branch}) already deploys {image}; nothing to commit";

    public static string DryRunDiff(string repository, string branch, string diff) =>
        diff.Length == 0
            ? $"GitOps: dry run: {repository} ({branch}) already up to date"
            : $"GitOps: dry run: would commit to {repository} ({branch}):\n{diff.TrimEnd()}";

    public static string DeployOrderUnchecked(string reason) =>
        $"GitOps: deploy order not checked: {reason}; deploying as asked";

    public static string DowngradeAllowed(string oldImage, string oldCommit, string newCommit) =>
        $"GitOps: GitOpsAllowDowngrade=true: replacing {oldImage} (commit {oldCommit}) with the earlier commit {newCommit}";

    public static string CloneRetry(int attempt, int attempts, string url, string reason) =>
        $"GitOps: attempt {attempt} of {attempts}: {url} is unreachable ({reason}); retrying";

    public static string CloneRaced(int attempt, int attempts, string url, string reason) =>
        $"GitOps: attempt {attempt} of {attempts}: the branch moved while {url} was being cloned ({reason}); cloning again";

    public static string Cloned(string url, string branch, string tip, TimeSpan elapsed) =>
        $"GitOps: cloned {url} ({branch} at {tip}) {Duration(elapsed)}";

    public static string Fetched(string url, string branch, string tip, TimeSpan elapsed) =>
        $"GitOps: fetched {url} ({branch} at {tip}) into the clone {Duration(elapsed)}";

    public static string ConfigInputsParsedAgain(string key) =>
        $"GitOps: the config inputs {key} are not registered in this process (a task run out of process); parsed them again";

    public static string CloningDuringBuild(string url, string branch) =>
        $"GitOps: cloning {url} ({branch}) in the background while the app is built";

    public static string ClonedDuringBuild(string url, string branch, string tip, TimeSpan elapsed) =>
        $"GitOps: cloned {url} ({branch} at {tip}) while the app was built {Duration(elapsed)}";

    public static string CloneDuringBuildFailed(string reason) =>
        $"GitOps: the clone made while the app was built failed ({reason}); cloning again";

    public static string BranchMovedDuringBuild(string branch) =>
        $"GitOps: '{branch}' moved while the app was built; applying the change again to a fresh clone";

    public static string StaleClonesDeleted(int count, string directory) =>
        $"GitOps: deleted {count} temporary clone(s) in {directory} left by builds that no longer run";

    public static string CloneDirectory(string directory) => $"GitOps: temporary bare clone {directory}";

    public static string InterruptedPushLanded(string commit, string branch) =>
        $"GitOps: the interrupted push of {commit} had landed on '{branch}'";

    public static string NoChange(string branch) => $"GitOps: no change to commit on '{branch}'";

    public static string FileChanged(string path, int oldLength, int newLength) =>
        $"GitOps: changing {path} ({oldLength} -> {newLength} bytes)";

    public static string Committed(string commit, int files, string branch, TimeSpan elapsed) =>
        $"GitOps: committed {commit} ({files} file(s)) on '{branch}' {Duration(elapsed)}";

    public static string PushInterrupted(int attempt, int attempts, string url, string reason) =>
        $"GitOps: attempt {attempt} of {attempts}: the push to {url} was interrupted ({reason}); retrying from a fresh clone";

    public static string Pushed(string commit, string branch, string url, TimeSpan elapsed) =>
        $"GitOps: pushed commit {commit} to '{branch}' of {url} {Duration(elapsed)}";

    public static string BranchMoved(string branch, int attempt, int attempts) =>
        $"GitOps: '{branch}' moved since the clone (attempt {attempt} of {attempts}); applying the change again to the new tip";

    public static string TemplateSkipped(string path) =>
        $"GitOps: skipped {path}: a Go template ({{{{ … }}}}), not YAML until rendered";

    public static string SymbolicLinkSkipped(string path) =>
        $"GitOps: skipped {path}: a symbolic link, which is never followed";

    public static string Edited(string path, IEnumerable<int> lines, string newValues) =>
        $"GitOps: edited {path} (line {string.Join(", ", lines)}) -> {newValues}";

    /// <summary>
    /// The one way lists go into a message: the first <paramref name="shown"/> items, then how many more, so that a
    /// directory of thousands of files makes a line, not a page.
    /// </summary>
    public static string List(IReadOnlyCollection<string> items, int shown = 20) =>
        items.Count <= shown
            ? string.Join(", ", items)
            : string.Join(", ", items.Take(shown)) + $" … and {items.Count - shown} more";

    /// <summary>The one way commits are shown: git's default abbreviation (7 hex digits).</summary>
    public static string ShortSha(string sha) => sha[..Math.Min(sha.Length, 7)];

    public static string CommitSigned(string format) =>
        $"GitOps: the config commit will be signed ({format}, GitOpsCommitSigningFormat)";

    public static string EnvironmentSelected(string environment, IEnumerable<string> manifests, string branch) =>
        $"GitOps: environment {environment}: {string.Join(", ", manifests)}{(branch.Length > 0 ? $" on branch '{branch}'" : "")}";

    public static string PromotionSource(string environment, string branch, string tip, string image, string? deployCommit, string? sourceCommit) =>
        $"GitOps: {environment} ({branch} at {ShortSha(tip)}) runs {image}" +
        (deployCommit is null ? ", deploy commit not found" : $", deployed in {ShortSha(deployCommit)}") +
        (sourceCommit is null ? "" : $" from source commit {sourceCommit}");

    public static string StatusLine(string environment, string branch, string image, string? sourceCommit, string? deployCommit, DateTimeOffset? date,
        string? buildUrl, string head) =>
        $"GitOps: {environment} ({branch}): {image}" +
        (sourceCommit is null ? "" : $" from commit {sourceCommit}") +
        (deployCommit is null ? "; deploy commit not found" : $"; deployed in {ShortSha(deployCommit)} on {Date(date)}") +
        (buildUrl is null ? "" : $" by {buildUrl}") +
        $"; {head}";

    /// <summary>A commit date as the status shows it: UTC, to the second, whatever the machine's culture.</summary>
    public static string Date(DateTimeOffset? date) =>
        date?.ToUniversalTime().ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss' UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public static string StatusUnknown(string environment, string reason) =>
        $"GitOps: {environment}: unknown ({reason})";

    public static string StatusWritten(string path) =>
        $"GitOps: status written to {path}";

    /// <summary>The one way durations are shown: seconds with two decimals, in brackets.</summary>
    public static string Duration(TimeSpan elapsed) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{elapsed.TotalSeconds:0.00} s]");
}
