using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsStatus: what each environment (or the configured manifests) runs (<see cref="DeployStatusReader"/>), printed,
/// written as JSON and, under GitHub Actions, as a table in the job summary. Read-only.
/// </summary>
public sealed partial class ReadDeployStatus : ConfigInputsTask
{
    protected override void ExecuteCore()
    {
        var registered = FindInputs();
        var inputs = registered.Inputs;
        var name = Blank(ImageName) is { } text ? ImageReference.Parse(text) : throw new GitOpsException(Errors.ImageMissing);
        var environments = Environments.Length > 0
            ? Environments.Select(item => DeploymentEnvironment.Read(item.ItemSpec, item.GetMetadata, ImageReferenceFormat.Tag)).ToList()
            : inputs.Manifests.Count > 0
                ? [new DeploymentEnvironment("default", inputs.Manifests, null)]
                : throw new GitOpsException(Errors.ManifestPathMissing);
        using var history = inputs.AppRepositoryDirectory is { } directory ? AppCommitHistory.Open(directory) : null;
        // Read-only: no signer, nothing written; with GitOpsCommitMethod=api the forge's API reads, with no clone.
        using var write = new ConfigWrite(ReadCredentials(), TransportOptions(inputs));
        using var forge = OpenForgeWriter(inputs, write, readOnly: true);
        var reader = forge?.Reader ?? new ConfigRepositoryReader(write.Credentials, write.Options);
        var status = new DeployStatusReader(reader, BuildLog).Read(inputs.Repository, inputs.DefaultBranch, environments, name, history, CancellationToken);
        // The agent's last verdict where a source is configured: a GitOpsEnvironment item's own metadata, or (without
        // items) the project's GitOpsArgoCdApplications / GitOpsDeployStatusContexts.
        var sources = Environments.Length > 0
            ? Environments.Select(item => (item.GetMetadata(ArgoCdApplicationsMetadata), item.GetMetadata(DeployStatusContextsMetadata))).ToList()
            : [(registered.Text.ArgoCdApplications, registered.Text.DeployStatusContexts)];
        status = status with
        {
            Environments = [.. status.Environments.Select((row, i) => row with { Verdict = LastVerdict(row, sources[i].Item1, sources[i].Item2, inputs, registered.Text) })],
        };

        foreach (var row in status.Environments)
        {
            BuildLog.Important(row.Error is not null
                ? Messages.StatusUnknown(row.Environment, row.Error)
                : Messages.StatusLine(row.Environment, row.ConfigBranch ?? "", row.Image!, row.SourceCommit, row.DeployCommit, row.DeployDate, row.BuildUrl,
                    DeployStatus.HeadText(row)));
            if (row.Verdict is { } verdict)
                BuildLog.Important(Messages.StatusVerdict(row.Environment, verdict.Text));
        }
        if (Blank(StatusFile) is { } file)
            Write("file (GitOpsStatusFile)", file, status.ToJson(), append: false);
        if (CiSystems.NonEmpty(GetEnvironmentVariable)(CiOutputWriter.GitHubStepSummary) is { } summary)
            Write($"job summary ({CiOutputWriter.GitHubStepSummary})", summary, status.ToMarkdown(), append: true);
    }

    /// <summary>GitOpsEnvironment metadata naming the environment's Argo CD applications and commit-status contexts.</summary>
    public const string ArgoCdApplicationsMetadata = "ArgoCdApplications";

    public const string DeployStatusContextsMetadata = "DeployStatusContexts";

    /// <summary>
    /// One look at the agent's verdict on the row's deploy commit (no wait), or null where no source is configured or
    /// nothing is deployed; one that cannot be read is "unknown" with warning GITOPS075, and the report goes on.
    /// </summary>
    private EnvironmentVerdict? LastVerdict(EnvironmentStatus row, string? applications, string? contexts, ConfigInputs inputs, ConfigInputText text)
    {
        if (string.IsNullOrWhiteSpace(applications) && string.IsNullOrWhiteSpace(contexts) || row.DeployCommit is not { } commit)
            return null;
        try
        {
            var options = DeployWaitOptions.Read("true", null, contexts, applications, null, text.Forge, text.ForgeApiUrl)! with { Timeout = inputs.Timeout };
            var request = new DeployWaitRequest(inputs.Repository, row.ConfigBranch ?? "", commit, options);
            var targets = VerdictStep(inputs).Look(request, CancellationToken)
                .Select(t => new EnvironmentVerdictTarget(t.Source, t.Name, t.Label,
                    t.State switch { TargetState.Succeeded => "success", TargetState.Failed => "failure", _ => "pending" }, t.Detail))
                .ToList();
            var state = targets.Any(t => t.Result == "failure") ? "failure" : targets.All(t => t.Result == "success") ? "success" : "pending";
            return new EnvironmentVerdict(state, targets);
        }
        catch (GitOpsException e)
        {
            BuildLog.Warning(Errors.StatusVerdictUnknown, row.Environment, $"{e.Code}: {e.Message}");
            return new EnvironmentVerdict("unknown", [], $"{e.Code}: {e.Message}");
        }
        catch (OperationCanceledException) when (!CancellationToken.IsCancellationRequested)
        {
            var reason = $"no answer within GitOpsConfigTimeout ({inputs.Timeout.TotalSeconds:0} s)";
            BuildLog.Warning(Errors.StatusVerdictUnknown, row.Environment, reason);
            return new EnvironmentVerdict("unknown", [], reason);
        }
    }

    private void Write(string what, string path, string text, bool append)
    {
        try
        {
            UserFile.WriteText(path, text, append);
            BuildLog.Detail(Messages.StatusWritten(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            BuildLog.Warning(Errors.StatusNotWritten, what, path, e.Message);
        }
    }
}
