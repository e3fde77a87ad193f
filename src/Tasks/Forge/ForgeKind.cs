namespace GitOps.Build.Forge;

/// <summary>The forges whose pull requests (merge requests) GitOps.Build opens; the names are GitOpsForge's values.</summary>
internal enum ForgeKind
{
    GitHub,
    GitLab,
    AzureDevOps,
    Bitbucket,
    /// <summary>Gitea and Forgejo (the same API).</summary>
    Gitea,
}
