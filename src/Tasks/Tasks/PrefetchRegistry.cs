using GitOps.Build.ConfigRepo;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// Hands a <see cref="ConfigClonePrefetch"/> from the task that starts it to the task that uses it, through MSBuild's
/// registered task objects (lifetime: this build; MSBuild disposes an object nobody took when the build ends).
/// </summary>
internal static class PrefetchRegistry
{
    public static void Register(IBuildEngine4 engine, ConfigRepositoryLocation repository, string? branch, ConfigClonePrefetch prefetch)
    {
        // A second start for the same key (the target ran twice) replaces the first, which is then of no use.
        (engine.UnregisterTaskObject(Key(engine, repository, branch), RegisteredTaskObjectLifetime.Build) as IDisposable)?.Dispose();
        engine.RegisterTaskObject(Key(engine, repository, branch), prefetch, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
    }

    /// <summary>The prefetch for this project and repository, now owned by the caller; null if none was started.</summary>
    public static ConfigClonePrefetch? Take(IBuildEngine4 engine, ConfigRepositoryLocation repository, string? branch) =>
        engine.UnregisterTaskObject(Key(engine, repository, branch), RegisteredTaskObjectLifetime.Build) as ConfigClonePrefetch;

    // MSBuild compares keys with Equals: the same project, repository (record equality) and branch.
    private static PrefetchKey Key(IBuildEngine engine, ConfigRepositoryLocation repository, string? branch) =>
        new(engine.ProjectFileOfTaskNode, repository, branch);

    private sealed record PrefetchKey(string Project, ConfigRepositoryLocation Repository, string? Branch);
}
