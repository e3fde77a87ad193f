using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Signing;
using GitOps.Build.Verdict.ArgoCd;

namespace GitOps.Build.Tasks;

/// <summary>
/// Every input of a write to the config repository, parsed, validated and redacted once per project build by
/// <see cref="ReadConfigInputs"/>; the later tasks (early clone, update, release entry, promotion, status) take this
/// object through <see cref="ConfigInputsRegistry"/> instead of parsing again. Secrets are not in it: the token, keys
/// and passphrases are read from the environment where they are used. The HTTP settings (proxy, private CA) come from
/// the environment too, but are parsed here once: git and the forge's API reach their servers the same way.
/// </summary>
internal sealed record ConfigInputs(
    ConfigRepositoryLocation Repository,
    string? DefaultBranch,
    string? Branch,
    string? PushBranchTemplate,
    IReadOnlyList<ManifestTarget> Manifests,
    ImageReferenceFormat? ReferenceFormat,
    string? CommitMessageTemplate,
    string AuthorName,
    string AuthorEmail,
    bool DryRun,
    bool AllowDowngrade,
    bool ArgoCdTrailers,
    int PushRetries,
    TimeSpan Timeout,
    CommitSigning? Signing,
    string? AppRepositoryDirectory,
    string? ResultFile,
    PullRequestOptions? PullRequest,
    HttpTransportSettings Http,
    DeployWaitOptions? Wait = null,
    ConfigCommitMethod CommitMethod = ConfigCommitMethod.Git,
    string? Forge = null,
    string? ForgeApiUrl = null,
    bool RollbackOnFailure = false)
{
    /// <summary>The deploy-order check, when the app's history is at hand.</summary>
    public DeployOrderCheck? OrderCheck => AppRepositoryDirectory is { } app ? new DeployOrderCheck(app, AllowDowngrade) : null;

    /// <summary>This project's deploy of <paramref name="facts"/>, to its branch and manifests.</summary>
    public DeploymentRequest Request(DeploymentFacts facts) =>
        new(facts, Repository, Branch, Manifests, CommitMessageTemplate, AuthorName, AuthorEmail, DryRun, PushBranchTemplate, OrderCheck);

    /// <summary>
    /// Parses and checks every input, collecting every problem (each a GITOPS code naming its property) instead of
    /// stopping at the first: null when there is any.
    /// </summary>
    public static ConfigInputs? Read(ConfigInputText text, Func<string, string?> getEnvironmentVariable, out IReadOnlyList<GitOpsException> problems)
    {
        var found = new List<GitOpsException>();
        problems = found;
        T? Check<T>(Func<T> rule)
        {
            try
            {
                return rule();
            }
            catch (GitOpsException e)
            {
                found.Add(e);
                return default;
            }
        }
        bool Boolean(string? value, string property, bool defaultValue) =>
            Blank(value) is { } given ? Check(() => ManifestOptionsReader.ParseBoolean(given, property)) : defaultValue;

        var repository = Check(() => ConfigRepositoryLocation.Parse(text.ConfigRepository));
        var defaultBranch = Check(() => BranchNameRule.ValidateConfigBranch(Blank(text.ConfigBranch)));
        var branch = Check(() => BranchNameRule.ValidateConfigBranch(Blank(text.DeployBranch)));
        var pushBranch = Check(() => TextRule.RejectControlCharacters(Blank(text.ConfigPushBranch), "GitOpsConfigPushBranch"));
        var format = Blank(text.ReferenceFormat) is { } f ? Check(() => (ImageReferenceFormat?)ManifestOptionsReader.ParseEnum<ImageReferenceFormat>(f, "GitOpsImageReferenceFormat")) : null;
        var manifests = text.Manifests.Select(m => Check(() =>
        {
            TextRule.RejectControlCharacters(m.Path, "GitOpsManifestPath (or a GitOpsManifest item)");
            return ManifestOptionsReader.Read(m.Path, name => m.Metadata.GetValueOrDefault(name), format ?? ImageReferenceFormat.Tag);
        })).ToList();
        var message = Check(() => TextRule.RejectControlCharacters(Blank(text.CommitMessage), "GitOpsCommitMessage", allowLineBreaks: true));
        var authorName = Check(() => TextRule.ValidateIdentity(text.CommitAuthorName, "GitOpsCommitAuthorName"));
        var authorEmail = Check(() => TextRule.ValidateIdentity(text.CommitAuthorEmail, "GitOpsCommitAuthorEmail"));
        var dryRun = Boolean(text.DryRun, "GitOpsDryRun", false);
        var allowDowngrade = Boolean(text.AllowDowngrade, "GitOpsAllowDowngrade", false);
        var argoCd = Boolean(text.ArgoCdTrailers, "GitOpsArgoCdTrailers", true);
        var retries = Check(() => NumberRule.PushRetries(text.PushRetries));
        var timeout = Check(() => NumberRule.ConfigTimeoutSeconds(text.TimeoutSeconds));
        var signing = Check(() => CommitSigning.Read(text.CommitSigningFormat, text.CommitSigningKey, getEnvironmentVariable));
        var pullRequest = Check(() => PullRequestSetup.Read(text));
        var rollback = Check(() => ReadRollback(text, pushBranch));
        var http = Check(() => HttpTransportSettings.FromEnvironment(getEnvironmentVariable));
        var method = Blank(text.CommitMethod) is { } m ? Check(() => ManifestOptionsReader.ParseEnum<ConfigCommitMethod>(m, "GitOpsCommitMethod")) : ConfigCommitMethod.Git;
        if (method == ConfigCommitMethod.Api)
        {
            // The forge makes (and signs) the commit: a local signing key has nothing to sign.
            if (Blank(text.CommitSigningFormat) is not null)
                found.Add(new GitOpsException(Errors.ApiCommitSettingUnusable, "GitOpsCommitSigningFormat", "the forge makes the commit, and a GitHub App's is signed by GitHub"));
            else if (Blank(text.CommitSigningKey) is not null)
                found.Add(new GitOpsException(Errors.ApiCommitSettingUnusable, "GitOpsCommitSigningKey", "the forge makes the commit, and a GitHub App's is signed by GitHub"));
            if (repository is not null)
                Check(() => GitOps.Build.Forge.ForgeRepository.Parse(repository, Blank(text.Forge), Blank(text.ForgeApiUrl)));
        }
        var wait = Check(() => ReadWait(text, pushBranch, getEnvironmentVariable));
        if (found.Count > 0) return null;

        return new ConfigInputs(repository!, defaultBranch, branch, pushBranch, manifests!, format, message, authorName!, authorEmail!,
            dryRun, allowDowngrade, argoCd, retries, TimeSpan.FromSeconds(timeout), signing, Blank(text.AppRepositoryDirectory), Blank(text.ResultFile),
            pullRequest, http!, wait, method, Blank(text.Forge), Blank(text.ForgeApiUrl), rollback);
    }

    /// <summary>
    /// GitOpsRollbackOnFailure, checked before anything is pushed: only a deploy this build pushes onto the watched branch
    /// can be reverted by it (GITOPS161 for a pull request or a push branch, naming the property; the projects of a release
    /// and a promotion read their inputs here too, so it comes before any image or commit is pushed).
    /// </summary>
    private static bool ReadRollback(ConfigInputText text, string? pushBranch)
    {
        if (Blank(text.RollbackOnFailure) is not { } given || !ManifestOptionsReader.ParseBoolean(given, "GitOpsRollbackOnFailure"))
            return false;
        // A pull request is named first: it is what a push branch is for then.
        if (Blank(text.PullRequest) is { } pr && ManifestOptionsReader.ParseBoolean(pr, "GitOpsPullRequest"))
            throw new GitOpsException(Errors.RollbackNeedsDirectPush,
                $"GitOpsPullRequest=true (a pull request from '{pushBranch ?? PullRequestOptions.DefaultHeadTemplate}', merged later)", "GitOpsPullRequest");
        if (pushBranch is not null)
            throw new GitOpsException(Errors.RollbackNeedsDirectPush, $"GitOpsConfigPushBranch '{pushBranch}'", "GitOpsConfigPushBranch");
        return true;
    }

    /// <summary>
    /// GitOpsWaitForDeploy's options, checked before anything is pushed: the sources (GITOPS142, 139), Argo CD's
    /// variables (GITOPS137, 138; the token is only looked at, never kept), and a deploy that reaches the watched
    /// branch: directly, or through a pull request whose merge is waited for (GITOPS146 for a push branch alone).
    /// </summary>
    private static DeployWaitOptions? ReadWait(ConfigInputText text, string? pushBranch, Func<string, string?> getEnvironmentVariable)
    {
        var wait = DeployWaitOptions.Read(text.WaitForDeploy, text.WaitTimeout, text.DeployStatusContexts, text.ArgoCdApplications,
            text.ArgoCdRefresh, text.Forge, text.ForgeApiUrl);
        if (wait is null)
            return null;
        // A pull request's merge is waited for (WaitForDeploy); a push branch alone is never merged by anything the build sees.
        if (pushBranch is not null && !(Blank(text.PullRequest) is { } pr && ManifestOptionsReader.ParseBoolean(pr, "GitOpsPullRequest")))
            throw new GitOpsException(Errors.WaitNeedsDirectPush, pushBranch);
        ArgoCdSettings.From(wait.ArgoCdApplications, wait.ArgoCdRefresh, getEnvironmentVariable);
        return wait;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
