using GitOps.Build.Diagnostics;
using GitOps.Build.Signing;

namespace GitOps.Build.Tasks;

/// <summary>
/// Parses, validates and redacts every config-write input of the project once, reporting every problem at once, and
/// registers the result (<see cref="ConfigInputsRegistry"/>) under the id it outputs.
/// </summary>
public sealed partial class ReadConfigInputs : GitOpsTask
{
    protected override void ExecuteCore()
    {
        var text = ConfigInputText.FromItems(Settings, Manifests);
        if (string.Equals(Blank(Publish), "true", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(ContainerRegistry)) LogError(new GitOpsException(Errors.ContainerRegistryMissing));
            if (Manifests.Length == 0) LogError(new GitOpsException(Errors.ManifestPathMissing));
        }
        try
        {
            ReadCredentials();
        }
        catch (GitOpsException e)
        {
            LogError(e);
        }
        var inputs = ConfigInputs.Read(text, GetEnvironmentVariable, out var problems);
        foreach (var problem in problems)
            LogError(problem);
        if (inputs is null || Log.HasLoggedErrors) return;

        if (inputs.Repository.EmbeddedCredentials is not null)
            BuildLog.Warning(Errors.CredentialsInRepositoryUrl, inputs.Repository.DisplayUrl);
        if (inputs.Signing is null && !string.IsNullOrWhiteSpace(GetEnvironmentVariable(CommitSigning.KeyVariable)))
            BuildLog.Warning(Errors.SigningKeyUnused);
        if (inputs is { RollbackOnFailure: true, Wait: null })
            BuildLog.Warning(Errors.RollbackWithoutWait);
        InputsKey = ConfigInputsRegistry.Register(BuildEngine4, text, inputs);
    }
}
