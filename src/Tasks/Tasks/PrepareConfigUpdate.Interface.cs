using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class PrepareConfigUpdate
{
    /// <summary>$(_GitOpsConfigInputsKey): the project's parsed config inputs (<see cref="ReadConfigInputs"/>).</summary>
    [Required] public string InputsKey { get; set; } = "";

    /// <summary>@(_GitOpsConfigInputs) and @(_GitOpsManifest): parsed again only where InputsKey is not found.</summary>
    public ITaskItem? Settings { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];
}
