namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>What a tolerance lets through that the description alone would reject.</summary>
public enum ToleranceKind
{
    /// <summary>A JSON body sent with another declared Content-Type (Octokit posts JSON as form content); the JSON itself is still validated.</summary>
    ContentType,

    /// <summary>A call the description does not have: a legacy path the service still serves, or GraphQL beside REST.</summary>
    UndescribedOperation,

    /// <summary>An answer status the operation does not list, but the service documents for every operation (401, rate limits).</summary>
    Status,

    /// <summary>
    /// A success answer whose schema the vendored description does not hold, so it goes unchecked. Value: the status,
    /// or "2XX". Without one, such an answer fails the test: every answer a contract gives is held to the description.
    /// </summary>
    UnvalidatedAnswer,

    /// <summary>
    /// A path parameter the service's router takes across '/' (a file's path), which the description cannot say (only
    /// GitHub's marks it, x-multi-segment); it may be empty (Bitbucket lists the root as src/{commit}/). Path: the
    /// operation's template; Value: the parameter.
    /// </summary>
    MultiSegment,
}

/// <summary>
/// One deliberate exception to the description, with the reason it is true of the real service. Every tolerance a
/// contract uses is listed in one place (the forge's contract class), so a reviewer sees all of them together.
/// </summary>
/// <param name="Method">HTTP method, or "*".</param>
/// <param name="Path">A path template or operationId it applies to, or "*"; for UndescribedOperation the full server path.</param>
/// <param name="Value">For Status and UnvalidatedAnswer: the status (UnvalidatedAnswer also "2XX"); for ContentType: the media type accepted.</param>
public sealed record ContractTolerance(ToleranceKind Kind, string Method, string Path, string Value, string Reason)
{
    internal bool AppliesTo(string method, string pathOrOperation) =>
        (Method == "*" || Method == method) && (Path == "*" || Path == pathOrOperation);
}
