namespace GitOps.Build.Tasks;

/// <summary>GitOpsCommitMethod: how the deploy commit is made.</summary>
internal enum ConfigCommitMethod
{
    /// <summary>A clone of the branch's tip, the commit made locally (signed if asked), pushed back.</summary>
    Git,

    /// <summary>The forge's API reads the tip and the manifests and makes the commit itself: no clone.</summary>
    Api,
}
