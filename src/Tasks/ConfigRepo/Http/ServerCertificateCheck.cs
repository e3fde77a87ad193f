using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// TLS verification that is never turned off: the system's trust store, plus the CA bundle the user names in
/// GITOPS_CA_BUNDLE for a private CA. The host name must always match. A refusal is recorded on the running session
/// as the coded error that names the setting to fix (TLS itself only reports "the SSL connection could not be established").
/// </summary>
internal static class ServerCertificateCheck
{
    public static RemoteCertificateValidationCallback For(X509Certificate2Collection? caBundle) =>
        (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
                return true;
            if (errors == SslPolicyErrors.RemoteCertificateChainErrors && caBundle is not null && certificate is not null
                && ChainsToBundle(certificate, chain, caBundle))
                return true;

            var session = GitHttpSession.Current;
            var host = session?.Origin.Host ?? "";
            session?.Fail((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
                ? new GitOpsException(Errors.CertificateNameMismatch, session.DisplayUrl, host, certificate?.Subject)
                : new GitOpsException(Errors.CertificateUntrusted, session.DisplayUrl, Describe(chain, errors), HttpTransportSettings.CaBundleVariable));
            return false;
        };

    private static bool ChainsToBundle(X509Certificate certificate, X509Chain? systemChain, X509Certificate2Collection caBundle)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(caBundle);
        // Private CAs rarely publish revocation lists reachable from CI; git (curl) does not check them either.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (systemChain is not null)
        {
            foreach (var element in systemChain.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static string Describe(X509Chain? chain, SslPolicyErrors errors)
    {
        var statuses = chain?.ChainStatus.Select(status => status.Status.ToString()).Distinct().ToList() ?? [];
        return statuses.Count > 0 ? string.Join(", ", statuses) : errors.ToString();
    }
}
