using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

// Composed here, beside ForgeClients: Forge knows the readers only through IForgeStatusReader, each forge's folder
// implements it.
/// <summary>The status reader of each forge whose statuses are read so far.</summary>
internal static class ForgeStatusReaders
{
    /// <summary>The reader for the repository's forge (it owns <paramref name="http"/>), or null when there is none yet.</summary>
    public static IForgeStatusReader? Create(ForgeHttp http) => http.Repository.Kind switch
    {
        ForgeKind.GitHub => new Forge.GitHub.GitHubStatusReader(http),
        _ => null,
    };
}
