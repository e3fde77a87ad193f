using System.Globalization;

namespace GitOps.Build.Diagnostics;

/// <summary>A user-facing error: a stable code and a message template that names what to fix.</summary>
internal sealed record GitOpsError(string Code, string MessageFormat)
{
    public string Format(params object?[] args) =>
        args.Length == 0 ? MessageFormat : string.Format(CultureInfo.InvariantCulture, MessageFormat, args);
}

/// <summary>Thrown by core classes for errors the user can fix; tasks log it as an MSBuild error without a stack trace.</summary>
internal sealed class GitOpsException : Exception
{
    public GitOpsException(GitOpsError error, params object?[] args)
        : base(error.Format(args)) => Error = error;

    public GitOpsException(Exception inner, GitOpsError error, params object?[] args)
        : base(error.Format(args), inner) => Error = error;

    public GitOpsError Error { get; }

    public string Code => Error.Code;
}
