namespace GitOps.Build.Diagnostics;

/// <summary>What core classes may tell the user; tasks map it onto MSBuild's logger.</summary>
internal interface IBuildLog
{
    /// <summary>A line worth reading at normal verbosity (one per phase).</summary>
    void Important(string message);

    /// <summary>Detail for -v:detailed and binary logs.</summary>
    void Detail(string message);

    void Warning(GitOpsError warning, params object?[] args);

    /// <summary>
    /// A CI system's logging command this build means to give (Azure's <c>##vso[task.setvariable …]</c>): logged as it
    /// is, where every other line is escaped so that text from the config repository gives none.
    /// </summary>
    void CiCommand(string command) => Important(command);
}

/// <summary>A log that drops everything: for callers that do not care.</summary>
internal sealed class NullBuildLog : IBuildLog
{
    public static readonly NullBuildLog Instance = new();

    public void Important(string message) { }

    public void Detail(string message) { }

    public void Warning(GitOpsError warning, params object?[] args) { }
}
