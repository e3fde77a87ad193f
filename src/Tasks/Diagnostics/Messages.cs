namespace GitOps.Build.Diagnostics;

/// <summary>Every line GitOps.Build logs that is not an error: one place, so the output reads as one voice.</summary>
public static class Messages
{
    public static string TagResolved(string tag, string commit, string origin) =>
        $"GitOps: image tag {tag} from commit {commit} ({origin})";

    public static string TagFromProperty(string tag) =>
        $"GitOps: image tag {tag} (GitOpsImageTag)";

    public static string ImagePushed(string image, string digest) =>
        $"GitOps: pushed {image} ({digest})";

    public static string ImageArchived(string image, string digest, string archive) =>
        $"GitOps: built {image} ({digest}) into {archive}; not pushed";

    public static string ImageReplaced(string path, int line, string oldValue, string newValue) =>
        oldValue == newValue
            ? $"GitOps: {path}:{line} already {newValue}"
            : $"GitOps: {path}:{line} {oldValue} -> {newValue}";

    public static string ConfigCommitted(string image, string repository, string branch, string commit, TimeSpan elapsed) =>
        $"GitOps: deployed {image} to {repository} ({branch}) in commit {commit} [{elapsed.TotalSeconds:0.00} s]";

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
}
