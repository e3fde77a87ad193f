using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsStatus: what each environment (or the configured manifests) runs (<see cref="DeployStatusReader"/>), printed,
/// written as JSON and, under GitHub Actions, as a table in the job summary. Read-only.
/// </summary>
public sealed partial class ReadDeployStatus : GitOpsTask
{
    protected override void ExecuteCore()
    {
        var inputs = FindInputs(InputsKey, Settings, Manifests).Inputs;
        var name = Blank(ImageName) is { } text ? ImageReference.Parse(text) : throw new GitOpsException(Errors.ImageMissing);
        var environments = Environments.Length > 0
            ? Environments.Select(item => DeploymentEnvironment.Read(item.ItemSpec, item.GetMetadata, ImageReferenceFormat.Tag)).ToList()
            : inputs.Manifests.Count > 0
                ? [new DeploymentEnvironment("default", inputs.Manifests, null)]
                : throw new GitOpsException(Errors.ManifestPathMissing);
        using var history = inputs.AppRepositoryDirectory is { } directory ? AppCommitHistory.Open(directory) : null;
        var reader = new ConfigRepositoryReader(ReadCredentials(), TransportOptions(inputs));
        var status = new DeployStatusReader(reader, BuildLog).Read(inputs.Repository, inputs.DefaultBranch, environments, name, history, CancellationToken);

        foreach (var row in status.Environments)
        {
            BuildLog.Important(row.Error is not null
                ? Messages.StatusUnknown(row.Environment, row.Error)
                : Messages.StatusLine(row.Environment, row.ConfigBranch ?? "", row.Image!, row.SourceCommit, row.DeployCommit, row.DeployDate, row.BuildUrl,
                    DeployStatus.HeadText(row)));
        }
        if (Blank(StatusFile) is { } file)
            Write("file (GitOpsStatusFile)", file, status.ToJson(), append: false);
        if (CiSystems.NonEmpty(GetEnvironmentVariable)(CiOutputWriter.GitHubStepSummary) is { } summary)
            Write($"job summary ({CiOutputWriter.GitHubStepSummary})", summary, status.ToMarkdown(), append: true);
    }

    private void Write(string what, string path, string text, bool append)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
            if (append) File.AppendAllText(path, text);
            else File.WriteAllText(path, text);
            BuildLog.Detail(Messages.StatusWritten(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            BuildLog.Warning(Errors.StatusNotWritten, what, path, e.Message);
        }
    }
}
