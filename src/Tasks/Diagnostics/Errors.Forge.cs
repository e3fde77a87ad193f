namespace GitOps.Build.Diagnostics;

// Pull requests through the forge (issue 17): errors 120-134, warnings 078-079.
internal static partial class Errors
{
    // ---- Forge: where and who (120-124) ----
    public static readonly GitOpsError ForgeUnknown = new("GITOPS120",
        "GitOpsPullRequest is true, but the forge of the config repository {0} cannot be inferred from its host '{1}' (github.com, gitlab.com, dev.azure.com, ssh.dev.azure.com, *.visualstudio.com and bitbucket.org are). Set GitOpsForge to GitHub, GitLab, AzureDevOps, Bitbucket or Gitea.");

    public static readonly GitOpsError ForgeApiUrlUnknown = new("GITOPS121",
        "The {0} API root of the config repository {1} cannot be inferred{2}. Set GitOpsForgeApiUrl to the REST root your forge documents, e.g. {3}.");

    public static readonly GitOpsError ForgeApiUrlInvalid = new("GITOPS122",
        "GitOpsForgeApiUrl is '{0}', which is not an absolute http(s) URL. Set it to the REST root of your forge, e.g. {1}, or leave it empty for the public hosts.");

    public static readonly GitOpsError ForgeRepositoryPathInvalid = new("GITOPS123",
        "The config repository {0} does not name a {1} repository: {2} expected in its path. Fix GitOpsConfigRepository (or GitOpsForge if the forge is not {1}).");

    public static readonly GitOpsError ForgeTokenMissing = new("GITOPS124",
        "GitOpsPullRequest is true, but there is no token for the {0} API {1}. Set the environment variable GITOPS_FORGE_TOKEN (or GITOPS_TOKEN, which git uses too){2}.");

    // ---- Forge: what the API answered (125-130) ----
    public static readonly GitOpsError ForgeAuthenticationFailed = new("GITOPS125",
        "The {0} API {1} refused the token (401) for {2}: {3}. Set GITOPS_FORGE_TOKEN (or GITOPS_TOKEN) to a valid, unexpired token for that forge.");

    public static readonly GitOpsError ForgePermissionDenied = new("GITOPS126",
        "The {0} API {1} denied {2} (403): {3}. Give the token {4}.");

    public static readonly GitOpsError ForgeNotFound = new("GITOPS127",
        "The {0} API {1} answered 404 for {2}: the repository {3} or its branch '{4}' does not exist, or the token cannot see it. Check GitOpsConfigRepository, GitOpsConfigBranch and the token's access to the repository.");

    public static readonly GitOpsError ForgeValidationFailed = new("GITOPS128",
        "The {0} API {1} rejected {2} ({3}): {4}. Fix what it names (GitOpsPullRequestLabels, GitOpsPullRequestReviewers, GitOpsPullRequestTitle or the branches).");

    public static readonly GitOpsError ForgeRateLimited = new("GITOPS129",
        "The {0} API {1} is rate-limited for {2} until {3}, beyond what is left of GitOpsConfigTimeout. Retry later, raise GitOpsConfigTimeout, or use a token with a higher limit (a GitHub App's installation token).");

    public static readonly GitOpsError ForgeRequestFailed = new("GITOPS130",
        "The {0} API {1} failed for {2}: {3}. Check GitOpsForgeApiUrl and the network (proxy: https_proxy, private CA: GITOPS_CA_BUNDLE).");

    // ---- Pull requests (131-134) ----
    public static readonly GitOpsError PullRequestNotOpened = new("GITOPS131",
        "The deploy commit {0} is pushed to the branch '{1}' of {2}, but no pull request could be opened for it: {3}. The branch stays; fix the cause and run again (the pull request is then opened from it), or open it by hand.");

    public static readonly GitOpsError AutoMergeUnsupported = new("GITOPS132",
        "GitOpsPullRequestAutoMerge is true, but {0} has no way to merge a pull request once its checks pass. Set GitOpsPullRequestAutoMerge=false, and merge the pull request by hand or from a pipeline.");

    public static readonly GitOpsError GitHubAppSettingsInvalid = new("GITOPS133",
        "The GitHub App credentials are incomplete: {0}. Set GITOPS_GITHUB_APP_ID (the App's numeric id) and GITOPS_GITHUB_APP_PRIVATE_KEY (the path of its .pem, or the PEM text), and optionally GITOPS_GITHUB_APP_INSTALLATION_ID; or unset them to use GITOPS_FORGE_TOKEN/GITOPS_TOKEN.");

    public static readonly GitOpsError GitHubAppKeyUnusable = new("GITOPS134",
        "GITOPS_GITHUB_APP_PRIVATE_KEY is neither the path of a readable PEM file nor PEM text of an RSA private key ({0}). Set it to the App's private key as GitHub generated it (-----BEGIN RSA PRIVATE KEY-----).");

    // ---- Forge warnings (078-079) ----
    public static readonly GitOpsError AutoMergeDisabled = new("GITOPS078",
        "Auto-merge could not be turned on for pull request {0}: {1}. The pull request stays open until it is merged by hand. Allow auto-merge in the repository's settings (or its branch policy), or set GitOpsPullRequestAutoMerge=false.");

    public static readonly GitOpsError PullRequestFollowUpFailed = new("GITOPS079",
        "The pull request {0} is open, but {1} failed: {2}. Nothing else is affected; fix what it names (or the token's permissions) and run again.");
}
