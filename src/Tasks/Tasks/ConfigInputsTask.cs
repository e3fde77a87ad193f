using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// Base of the tasks that take the project's parsed config inputs from <see cref="ReadConfigInputs"/>: the three
/// parameters every one of them is passed (as sourcelink's RepositoryTask shares its repository parameters), and the
/// one way to find the inputs by them.
/// </summary>
public abstract class ConfigInputsTask : GitOpsTask
{
    /// <summary>$(_GitOpsConfigInputsKey): the project's parsed config inputs (<see cref="ReadConfigInputs"/>).</summary>
    [Required] public string InputsKey { get; set; } = "";

    /// <summary>@(_GitOpsConfigInputs) and @(_GitOpsManifest): parsed again only where InputsKey is not found.</summary>
    public ITaskItem? Settings { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>
    /// The inputs registered under <see cref="InputsKey"/>; <see cref="Settings"/> and <see cref="Manifests"/> are
    /// parsed again only where the registered object is not found (<see cref="ConfigInputsRegistry.Find"/>).
    /// </summary>
    private protected RegisteredConfigInputs FindInputs()
    {
        var registered = ConfigInputsRegistry.Find(BuildEngine4, InputsKey, Settings, Manifests, GetEnvironmentVariable, BuildLog);
        CancelledWhat = registered.Inputs.Repository.DisplayUrl;
        return registered;
    }
}
