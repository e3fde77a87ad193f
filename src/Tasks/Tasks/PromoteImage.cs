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
public sealed partial class PromoteImage : ConfigDeployTask
{
    protected override void ExecuteCore()
    {
        var names = string.Join(", ", Environments.Select(e => e.ItemSpec));
        if (Blank(From) is not { } fromName || Blank(To) is not { } toName || string.Equals(fromName, toName, StringComparison.OrdinalIgnoreCase))
            throw new GitOpsException(Errors.PromotionEnvironmentsMissing, From ?? "", To ?? "", names.Length == 0 ? "none is defined" : names);
        var fromItem = DeploymentEnvironment.Find(Environments, item => item.ItemSpec, fromName, "GitOpsPromoteFrom");
        var toItem = DeploymentEnvironment.Find(Environments, item => item.ItemSpec, toName, "GitOpsPromoteTo");

        var inputs = FindInputs().Inputs;
        var repository = inputs.Repository;
        var name = Blank(ImageName) is { } text ? ImageReference.Parse(text) : throw new GitOpsException(Errors.ImageMissing);
        var from = DeploymentEnvironment.Read(fromItem.ItemSpec, fromItem.GetMetadata, ImageReferenceFormat.Tag);
        var defaultBranch = inputs.DefaultBranch;

        using var write = PrepareWrite(inputs);
        using var forge = OpenForgeWriter(inputs, write);

        // Read: the source environment's image and the commit that deployed it, never written: a clone with history, or
        // (GitOpsCommitMethod=api) the forge's API that also makes the commit, with no clone at all.
        var fromBranch = BranchNameRule.ValidateConfigBranch(from.Branch) ?? defaultBranch;
        var reader = forge?.Reader ?? new ConfigRepositoryReader(write.Credentials, write.Options);
        var state = reader.Read(repository, fromBranch,
            source => EnvironmentReader.Read(source, from.Name, from.Manifests, name, repository.DisplayUrl), CancellationToken);
        BuildLog.Important(Messages.PromotionSource(from.Name, state.Branch, state.TipSha, state.Deployed.Image.ToString(),
            state.DeployCommit?.Sha, state.Trailer(GitOps.Build.Deploy.CommitMessage.SourceCommitTrailer)));
        if (state.DeployCommit is null)
            BuildLog.Warning(Errors.PromotionWithoutProvenance, state.Deployed.Image, ConfigRepositoryReader.HistoryDepth,
                string.Join(", ", state.Deployed.Files), state.Branch, repository.DisplayUrl);

        // Write: a deploy to the target environment, of exactly that image.
        var to = DeploymentEnvironment.Read(toItem.ItemSpec, toItem.GetMetadata, inputs.ReferenceFormat ?? Promotion.FormatOf(state.Deployed.Image));
        var facts = Promotion.Facts(state, CiSystems.Detect(GetEnvironmentVariable)?.RunUrl, inputs.ArgoCdTrailers);
        var toBranch = BranchNameRule.ValidateConfigBranch(to.Branch) ?? defaultBranch;
        var request = inputs.Request(facts) with
        {
            ConfigBranch = toBranch,
            // The source must still run what was read (GITOPS112): on one branch, checked on the tip committed to; on
            // another, by that branch's tip just before the push.
            PromotedFrom = new PromotionSource(from.Name, from.Manifests, name, state.Deployed.Image,
                fromBranch == toBranch ? null : state.Branch, state.TipSha),
            Manifests = to.Manifests,
            CommitMessageTemplate = inputs.CommitMessageTemplate ?? Promotion.DefaultMessage(from.Name, to.Name),
        };
        var deployment = Deploy([request], inputs, write, prefetch: null, forge);

        Image = facts.Image.ToString();
        ImageDigest = facts.ImageDigest ?? "";
        SourceCommit = facts.SourceCommit ?? "";
        Report(deployment, inputs);
    }
}
