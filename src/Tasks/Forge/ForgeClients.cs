using GitOps.Build.Forge.GitHub;

namespace GitOps.Build.Forge;

/// <summary>The client of each forge, all on the same <see cref="ForgeHttp"/>.</summary>
internal static class ForgeClients
{
    /// <summary>The client for the repository's forge; it owns <paramref name="http"/> from here on.</summary>
    public static IForgeClient Create(ForgeHttp http) => http.Repository.Kind switch
    {
        ForgeKind.GitHub => new GitHubForgeClient(http),
        var kind => throw new NotSupportedException($"The {kind} client is not built yet."),
    };
}
