using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsPromote: reads the exact image one environment runs (tag and digest as its manifests write them) and the
/// provenance of the deploy commit that put it there, and deploys exactly that to another environment, through the
/// same deploy as GitOpsUpdateConfig (dry run, push branch, deploy-order guard, signing, outputs).
/// </summary>
public sealed class PromoteImage : ConfigWriteTask
{
    /// <summary>GitOpsPromoteFrom: the environment whose image is promoted.</summary>
    public string? From { get; set; }

    /// <summary>GitOpsPromoteTo: the environment it is deployed to.</summary>
    public string? To { get; set; }

    /// <summary>The GitOpsEnvironment items.</summary>
    public ITaskItem[] Environments { get; set; } = [];

    /// <summary>The repository to look for: [registry/]repository, e.g. $(ContainerRegistry)/$(ContainerRepository), or GitOpsImage (its tag is ignored).</summary>
    public string? ImageName { get; set; }

    [Output] public string Image { get; private set; } = "";

    [Output] public string ImageDigest { get; private set; } = "";

    [Output] public string SourceCommit { get; private set; } = "";

    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";

    /// <summary>With GitOpsPullRequest: the pull request's web page and number (empty otherwise).</summary>
    [Output] public string PullRequestUrl { get; private set; } = "";

    [Output] public string PullRequestNumber { get; private set; } = "";

    protected override void ExecuteCore()
    {
        var names = string.Join(", ", Environments.Select(e => e.ItemSpec));
        if (Blank(From) is not { } fromName || Blank(To) is not { } toName || string.Equals(fromName, toName, StringComparison.OrdinalIgnoreCase))
            throw new GitOpsException(Errors.PromotionEnvironmentsMissing, From ?? "", To ?? "", names.Length == 0 ? "none is defined" : names);
        var fromItem = DeploymentEnvironment.Find(Environments, item => item.ItemSpec, fromName, "GitOpsPromoteFrom");
        var toItem = DeploymentEnvironment.Find(Environments, item => item.ItemSpec, toName, "GitOpsPromoteTo");

        var repository = ConfigRepositoryLocation.Parse(ConfigRepository);
        var name = Blank(ImageName) is { } text ? ImageReference.Parse(text) : throw new GitOpsException(Errors.ImageMissing);
        var explicitFormat = Blank(ReferenceFormat) is { } format
            ? ManifestOptionsReader.ParseEnum<ImageReferenceFormat>(format, "GitOpsImageReferenceFormat")
            : (ImageReferenceFormat?)null;
        var from = DeploymentEnvironment.Read(fromItem.ItemSpec, fromItem.GetMetadata, ImageReferenceFormat.Tag);
        var dryRun = Blank(DryRun) is { } dry && ManifestOptionsReader.ParseBoolean(dry, "GitOpsDryRun");
        var allowDowngrade = Blank(AllowDowngrade) is { } downgrade && ManifestOptionsReader.ParseBoolean(downgrade, "GitOpsAllowDowngrade");
        var argoCd = Blank(ArgoCdTrailers) is not { } argo || ManifestOptionsReader.ParseBoolean(argo, "GitOpsArgoCdTrailers");
        var defaultBranch = BranchNameRule.ValidateConfigBranch(Blank(ConfigBranch));

        using var write = PrepareWrite(repository, TimeoutSeconds, PushRetries, CommitSigningFormat, CommitSigningKey, dryRun);

        // Read: the source environment's image and the commit that deployed it (a clone with history, never written).
        var state = new ConfigRepositoryReader(write.Credentials, write.Options).Read(repository, BranchNameRule.ValidateConfigBranch(from.Branch) ?? defaultBranch,
            clone => EnvironmentReader.Read(clone, from.Name, from.Manifests, name, repository.DisplayUrl), CancellationToken);
        BuildLog.Important(Messages.PromotionSource(from.Name, state.Branch, state.TipSha, state.Deployed.Image.ToString(),
            state.DeployCommit?.Sha, state.Trailer(Deploy.CommitMessage.SourceCommitTrailer)));
        if (state.DeployCommit is null)
            BuildLog.Warning(Errors.PromotionWithoutProvenance, state.Deployed.Image, ConfigRepositoryReader.HistoryDepth,
                string.Join(", ", state.Deployed.Files), state.Branch, repository.DisplayUrl);

        // Write: a deploy to the target environment, of exactly that image.
        var to = DeploymentEnvironment.Read(toItem.ItemSpec, toItem.GetMetadata, explicitFormat ?? Promotion.FormatOf(state.Deployed.Image));
        var facts = Promotion.Facts(state, CiSystems.Detect(GetEnvironmentVariable)?.RunUrl, argoCd);
        var request = new DeploymentRequest(
            facts,
            repository,
            BranchNameRule.ValidateConfigBranch(to.Branch) ?? defaultBranch,
            to.Manifests,
            Blank(CommitMessage) ?? Promotion.DefaultMessage(from.Name, to.Name),
            CommitAuthorName,
            CommitAuthorEmail,
            dryRun,
            Blank(ConfigPushBranch),
            Blank(AppRepositoryDirectory) is { } app ? new DeployOrderCheck(app, allowDowngrade) : null);
        var options = PullRequestSetup.Read(PullRequest, Forge, ForgeApiUrl, PullRequestTitle, PullRequestLabels, PullRequestDraft, PullRequestReviewers,
            PullRequestAutoMerge, PullRequestMergeMethod, PullRequestSupersede);
        using var proposal = options is null ? null : PullRequestSetup.Open(options, repository, write, GetEnvironmentVariable, dryRun, BuildLog, CancellationToken);
        var (result, outcome) = new ConfigDeployer(proposal?.GitCredentials ?? write.Credentials, BuildLog, write.Options, proposal?.Step)
            .Deploy(request, prefetch: null, CancellationToken);

        Image = facts.Image.ToString();
        ImageDigest = facts.ImageDigest ?? "";
        SourceCommit = facts.SourceCommit ?? "";
        ConfigCommit = result.CommitSha ?? "";
        ResolvedConfigBranch = result.Branch;
        PullRequestUrl = outcome.PullRequest?.Url ?? "";
        PullRequestNumber = outcome.PullRequest?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (Blank(ResultFile) is { } resultFile)
            new CiOutputWriter(GetEnvironmentVariable, BuildLog).Write(outcome, resultFile);
    }
}
