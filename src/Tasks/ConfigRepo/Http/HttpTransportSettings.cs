using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// How the config repository is reached over HTTP, from the environment as git and curl read it: the proxy for each
/// scheme (with its credentials), the hosts that bypass it, and extra CA certificates to trust besides the system's.
/// Read in task code, like the token, because proxy URLs carry passwords.
/// </summary>
internal sealed record HttpTransportSettings(EnvironmentProxy? Proxy, string? CaBundlePath)
{
    public const string CaBundleVariable = "GITOPS_CA_BUNDLE";

    public static readonly HttpTransportSettings Direct = new(null, null);

    /// <summary>The CA bundle's certificates (null: the system store alone). Equality goes by the path.</summary>
    public X509Certificate2Collection? CaCertificates { get; private init; }

    public bool Equals(HttpTransportSettings? other) =>
        other is not null && Equals(Proxy, other.Proxy) && CaBundlePath == other.CaBundlePath;

    public override int GetHashCode() => HashCode.Combine(Proxy, CaBundlePath);

    /// <exception cref="GitOpsException">GITOPS092 for an unreadable CA bundle, GITOPS094 for a malformed proxy URL.</exception>
    public static HttpTransportSettings FromEnvironment(Func<string, string?> getVariable)
    {
        var proxy = EnvironmentProxy.FromEnvironment(getVariable);
        var bundle = getVariable(CaBundleVariable)?.Trim();
        if (string.IsNullOrEmpty(bundle))
            return proxy is null ? Direct : new HttpTransportSettings(proxy, null);

        var path = Path.GetFullPath(bundle);
        var certificates = new X509Certificate2Collection();
        try
        {
            // A regular file of bounded size: a FIFO would hang the build, /dev/zero fill its memory (GITOPS100).
            certificates.ImportFromPem(UserFile.ReadAllText(path, CaBundleVariable, UserFile.CertificateLimit));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new GitOpsException(e, Errors.CaBundleUnreadable, CaBundleVariable, path, e.Message);
        }
        if (certificates.Count == 0)
            throw new GitOpsException(Errors.CaBundleUnreadable, CaBundleVariable, path, "no PEM certificate in it");
        return new HttpTransportSettings(proxy, path) { CaCertificates = certificates };
    }
}
