using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Integration;

/// <summary>The forge contract servers a publish test puts in front of its config repository on the git server.</summary>
internal static class ConfigRepositoryForges
{
    /// <summary>
    /// The GitHub contract for <paramref name="config"/>: the forge's owner and repository are the config URL's last two
    /// path segments (http://127.0.0.1:8081/git/config-….git); every head branch exists (the build pushes it to the git server).
    /// </summary>
    public static GitHubContract GitHubContract(this TestConfigRepository config, string? installationToken = null)
    {
        var segments = new Uri(config.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new GitHubContract(segments[^2], Path.GetFileNameWithoutExtension(segments[^1]), installationToken) { AnyHeadExists = true };
    }
}
