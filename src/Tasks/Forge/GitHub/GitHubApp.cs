using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;
using Octokit;

namespace GitOps.Build.Forge.GitHub;

/// <summary>
/// GitHub App credentials: GITOPS_GITHUB_APP_ID and GITOPS_GITHUB_APP_PRIVATE_KEY (a path or the PEM text), and
/// optionally GITOPS_GITHUB_APP_INSTALLATION_ID (else the repository's installation is looked up). A JWT signed RS256
/// with the App's key (iat 60 s in the past against clock drift, exp 9 minutes later: GitHub takes at most 10) is
/// exchanged for an installation token, which git (user x-access-token) and the API then use. The JWT goes to the
/// installation look-up and the exchange only; neither it nor the token is ever logged.
/// </summary>
internal sealed class GitHubApp
{
    public const string IdVariable = "GITOPS_GITHUB_APP_ID";
    public const string PrivateKeyVariable = SecretVariables.GitHubAppPrivateKey;
    public const string InstallationIdVariable = "GITOPS_GITHUB_APP_INSTALLATION_ID";

    private static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private readonly string privateKeyPem;

    private GitHubApp(long appId, string privateKeyPem, long? installationId)
    {
        AppId = appId;
        this.privateKeyPem = privateKeyPem;
        InstallationId = installationId;
    }

    public long AppId { get; }

    public long? InstallationId { get; }

    /// <summary>The App's settings, or null when GITOPS_GITHUB_APP_ID and its key are both unset.</summary>
    /// <exception cref="GitOpsException">GITOPS133 when incomplete or not numbers, GITOPS134 for a key that is no RSA key.</exception>
    public static GitHubApp? FromEnvironment(Func<string, string?> getVariable)
    {
        var id = getVariable(IdVariable)?.Trim();
        var key = getVariable(PrivateKeyVariable)?.Trim();
        var installation = getVariable(InstallationIdVariable)?.Trim();
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(key))
            return string.IsNullOrEmpty(installation) ? null
                : throw new GitOpsException(Errors.GitHubAppSettingsInvalid, $"{InstallationIdVariable} is set without {IdVariable} and {PrivateKeyVariable}");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(key))
            throw new GitOpsException(Errors.GitHubAppSettingsInvalid, $"{(string.IsNullOrEmpty(id) ? IdVariable : PrivateKeyVariable)} is not set");
        if (!long.TryParse(id, out var appId) || appId <= 0)
            throw new GitOpsException(Errors.GitHubAppSettingsInvalid, $"{IdVariable} is '{id}', not the App's numeric id");
        long? installationId = null;
        if (!string.IsNullOrEmpty(installation))
            installationId = long.TryParse(installation, out var parsed) && parsed > 0 ? parsed
                : throw new GitOpsException(Errors.GitHubAppSettingsInvalid, $"{InstallationIdVariable} is '{installation}', not a numeric installation id");
        var app = new GitHubApp(appId, ReadKey(key), installationId);
        // Fails now, with its code, rather than at the first request.
        using (app.Key()) { }
        return app;
    }

    /// <summary>The JWT that authenticates as the App, for <paramref name="now"/>.</summary>
    public string CreateJwt(DateTimeOffset now)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new JwtHeader("RS256", "JWT"), GitHubAppJson.Default.JwtHeader));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(
            new JwtPayload((now - Backdate).ToUnixTimeSeconds(), (now - Backdate + Lifetime).ToUnixTimeSeconds(), AppId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            GitHubAppJson.Default.JwtPayload));
        using var rsa = Key();
        var signature = rsa.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    /// <summary>
    /// The installation token for the repository: the installation named, or the one the repository's look-up gives,
    /// exchanged with a fresh JWT, through <paramref name="http"/> (the API's origin, proxy, CA and deadline).
    /// </summary>
    public async Task<string> InstallationTokenAsync(ForgeHttp http)
    {
        var jwt = CreateJwt(DateTimeOffset.UtcNow);
        var client = GitHubForgeClient.CreateOctokit(http, new Credentials(jwt, AuthenticationType.Bearer));
        var repository = http.Repository;
        var installationId = InstallationId ?? (await GitHubForgeClient.Call(http, $"GET /repos/{repository.Owner}/{repository.Name}/installation", null,
            () => client.GitHubApps.GetRepositoryInstallationForCurrent(repository.Owner, repository.Name)).ConfigureAwait(false)).Id;
        var token = await GitHubForgeClient.Call(http, $"POST /app/installations/{installationId}/access_tokens", null,
            () => client.GitHubApps.CreateInstallationToken(installationId)).ConfigureAwait(false);
        return token.Token;
    }

    private RSA Key()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKeyPem);
            // A public key imports too (the App's page shows no public key, but a PEM file of one is easily taken for it); it cannot sign.
            rsa.ExportParameters(includePrivateParameters: true);
            return rsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // The exception's text never quotes the key.
            throw new GitOpsException(e, Errors.GitHubAppKeyUnusable, "not an RSA private key in PEM form");
        }
    }

    private static string ReadKey(string value)
    {
        if (value.Contains("-----BEGIN", StringComparison.Ordinal))
            // CI secrets sometimes hold the PEM with literal \n.
            return value.Replace("\\n", "\n", StringComparison.Ordinal);
        try
        {
            // A FIFO, a device or a huge file is GITOPS100, as for every key file the user names.
            return UserFile.ReadAllText(value, PrivateKeyVariable, UserFile.KeyLimit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GitOpsException(e, Errors.GitHubAppKeyUnusable, $"the file '{value}' cannot be read: {e.Message}");
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"GitHubApp {{ AppId = {AppId}, InstallationId = {InstallationId}, PrivateKey = *** }}";
}

internal sealed record JwtHeader([property: JsonPropertyName("alg")] string Algorithm, [property: JsonPropertyName("typ")] string Type);

internal sealed record JwtPayload(
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("iss")] string Issuer);

[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(JwtPayload))]
internal sealed partial class GitHubAppJson : JsonSerializerContext;
