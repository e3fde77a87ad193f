using System.Net.Http.Headers;
using GitOps.Build.Diagnostics;
using System.Text;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Forge;

/// <summary>
/// The token the forge's API gets: GITOPS_FORGE_TOKEN when the API needs another token than git (git over an SSH
/// deploy key), else GITOPS_TOKEN; or a GitHub App's installation token (<see cref="Source"/> says which, for messages).
/// Read in task code from the environment, never from MSBuild properties; sent only to the API's origin by <see cref="ForgeHttp"/>.
/// </summary>
internal sealed record ForgeCredentials(string Token, string Source, string? Username = null)
{
    /// <summary>Scrubbed from every message (<see cref="SecretValues"/>): a GitHub App's token is minted here, unknown to CI's masking.</summary>
    public string Token { get; init; } = SecretValues.Register(Token);

    public const string ForgeTokenVariable = SecretVariables.ForgeToken;
    public const string TokenVariable = SecretVariables.Token;

    /// <summary>GITOPS_FORGE_TOKEN, else GITOPS_TOKEN (with GITOPS_USERNAME for Bitbucket's app passwords); null when neither is set.</summary>
    public static ForgeCredentials? FromEnvironment(Func<string, string?> getVariable)
    {
        // Tokens pasted into CI secrets often carry a trailing newline.
        // A NUL or line break inside would be refused by the HTTP stack at the first request, with a stack trace.
        var forge = TextRule.RejectControlCharacters(getVariable(ForgeTokenVariable)?.Trim(), "The environment variable " + ForgeTokenVariable);
        if (!string.IsNullOrEmpty(forge))
            return new ForgeCredentials(forge, ForgeTokenVariable, UsernameOf(getVariable));
        TextRule.RejectControlCharacters(getVariable(TokenVariable)?.Trim(), "The environment variable " + TokenVariable);
        var git = GitCredentials.FromEnvironment(getVariable);
        return git is null ? null : new ForgeCredentials(git.Token, TokenVariable, UsernameOf(getVariable));
    }

    private static string? UsernameOf(Func<string, string?> getVariable) =>
        getVariable("GITOPS_USERNAME")?.Trim() is { Length: > 0 } user && user != GitCredentials.DefaultUsername ? user : null;

    /// <summary>
    /// The Authorization header each forge documents for a token: GitHub, GitLab and Bitbucket take a bearer token
    /// (Bitbucket's app passwords go as basic with the user name); Gitea <c>token …</c>; Azure DevOps a PAT as basic
    /// with an empty user name, and an OAuth access token (a JWT: Azure Pipelines' System.AccessToken, a Microsoft
    /// Entra token) as a bearer token, as Azure documents each.
    /// </summary>
    public AuthenticationHeaderValue AuthorizationFor(ForgeKind kind) => kind switch
    {
        ForgeKind.AzureDevOps when IsJwt(Token) => new AuthenticationHeaderValue("Bearer", Token),
        ForgeKind.AzureDevOps => Basic("", Token),
        ForgeKind.Bitbucket when Username is not null => Basic(Username, Token),
        ForgeKind.Gitea => new AuthenticationHeaderValue("token", Token),
        _ => new AuthenticationHeaderValue("Bearer", Token),
    };

    /// <summary>Three base64url parts, the first a JSON header ("eyJ" is "{\""): a PAT has no dots.</summary>
    private static bool IsJwt(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 3 && parts[0].StartsWith("eyJ", StringComparison.Ordinal)
               && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '='));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Never prints the token: records print every property by default, and these end up in logs.</summary>
    public override string ToString() => $"ForgeCredentials {{ Source = {Source}, Token = *** }}";
}
