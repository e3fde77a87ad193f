namespace GitOps.Build.Diagnostics;

/// <summary>What core classes may tell the user; tasks map it onto MSBuild's logger.</summary>
internal interface IBuildLog
{
    /// <summary>A line worth reading at normal verbosity (one per phase).</summary>
    void Important(string message);

    /// <summary>Detail for -v:detailed and binary logs.</summary>
    void Detail(string message);

    void Warning(GitOpsError warning, params object?[] args);
}

/// <summary>A log that drops everything: for callers that do not care.</summary>
internal sealed class NullBuildLog : IBuildLog
{
    public static readonly NullBuildLog Instance = new();

    public void Important(string message) { }

    public void Detail(string message) { }

    public void Warning(GitOpsError warning, params object?[] args) { }
}
