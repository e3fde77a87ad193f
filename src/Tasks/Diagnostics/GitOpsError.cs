using System.Globalization;

namespace GitOps.Build.Diagnostics;

/// <summary>A user-facing error or warning: a stable code and a message template that names what to fix.</summary>
internal sealed class GitOpsError
{
    private readonly string? inlineFormat;

    /// <summary>The text is the resource in Strings.resx that starts with "<paramref name="code"/>: ".</summary>
    public GitOpsError(string code) => Code = code;

    /// <summary>
    /// Text written in code, as before Strings.resx: it still works, so that a branch adding an entry this way merges,
    /// but ErrorCatalogueTests fails on it and prints the resource to add instead.
    /// </summary>
    public GitOpsError(string code, string messageFormat) => (Code, inlineFormat) = (code, messageFormat);

    public string Code { get; }

    /// <summary>True for an entry still written the old way (<see cref="GitOpsError(string, string)"/>).</summary>
    public bool IsInline => inlineFormat is not null;

    /// <summary>The template, without the code: MSBuild shows the code on its own.</summary>
    public string MessageFormat => inlineFormat ?? Strings.Coded(Code);

    /// <summary>The message with <paramref name="args"/> filled in; a token a server echoed into one is scrubbed (<see cref="SecretValues"/>).</summary>
    public string Format(params object?[] args) =>
        args.Length == 0 ? MessageFormat : SecretValues.Scrub(string.Format(CultureInfo.InvariantCulture, MessageFormat, args));

    public override string ToString() => Code;
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
