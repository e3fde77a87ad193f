using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// Hands a project's <see cref="ConfigInputs"/> from <see cref="ReadConfigInputs"/> to the tasks after it, through
/// MSBuild's registered task objects (as sourcelink's RepositoryTask hands on its repository): keyed by an id the
/// reading task outputs into _GitOpsConfigInputsKey, lifetime this build. MSBuild builds all of a project's targets in
/// the node that owns its configuration, so the later tasks find the object there.
/// </summary>
internal static class ConfigInputsRegistry
{
    public static string Register(IBuildEngine4 engine, ConfigInputText text, ConfigInputs inputs)
    {
        var key = "GitOpsConfigInputs:" + Guid.NewGuid().ToString("N");
        Register(engine, key, new RegisteredConfigInputs(text, inputs));
        return key;
    }

    /// <summary>
    /// The inputs registered under <paramref name="key"/>. Not found (a task run out of process, in a task host that
    /// does not share the node's registered objects): the inputs are parsed again from the fallback items and
    /// registered under the key, so that this process parses them once too.
    /// </summary>
    public static RegisteredConfigInputs Find(IBuildEngine4 engine, string key, ITaskItem? settings, ITaskItem[] manifests,
        Func<string, string?> getEnvironmentVariable, IBuildLog log)
    {
        if (engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is RegisteredConfigInputs registered)
            return registered;
        var text = ConfigInputText.FromItems(settings, manifests);
        var inputs = ConfigInputs.Read(text, getEnvironmentVariable, out var problems) ?? throw problems[0];
        log.Detail(Messages.ConfigInputsParsedAgain(key));
        var entry = new RegisteredConfigInputs(text, inputs);
        if (key.Length > 0) Register(engine, key, entry);
        return entry;
    }

    private static void Register(IBuildEngine4 engine, string key, RegisteredConfigInputs entry) =>
        engine.RegisterTaskObject(key, entry, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
}

/// <summary>
/// One project's parsed inputs as registered, with the config repository cloned early for them (if that was started).
/// The clone is handed on by this object's identity; MSBuild disposes the object, and a clone nobody took, when the
/// build ends.
/// </summary>
internal sealed class RegisteredConfigInputs(ConfigInputText text, ConfigInputs inputs) : IDisposable
{
    private ConfigClonePrefetch? prefetch;

    /// <summary>The inputs as given: what a release entry carries.</summary>
    public ConfigInputText Text => text;

    public ConfigInputs Inputs => inputs;

    /// <summary>Keeps the early clone for the update; a second start (the target ran twice) replaces the first.</summary>
    public void SetPrefetch(ConfigClonePrefetch started) => Interlocked.Exchange(ref prefetch, started)?.Dispose();

    /// <summary>The early clone, now owned by the caller; null if none was started.</summary>
    public ConfigClonePrefetch? TakePrefetch() => Interlocked.Exchange(ref prefetch, null);

    public void Dispose() => TakePrefetch()?.Dispose();
}
