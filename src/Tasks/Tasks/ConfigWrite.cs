using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tasks;

/// <summary>
/// What a task that writes to the config repository (GitOpsUpdateConfig, GitOpsPromote) hands the deployer: the
/// credentials and the writer options, with the commit signer in them. Disposing it disposes the signer, which deletes
/// what it put on disk (a key file, a temporary GNUPGHOME).
/// </summary>
internal sealed class ConfigWrite(GitCredentials? credentials, ConfigWriterOptions options) : IDisposable
{
    public GitCredentials? Credentials => credentials;

    public ConfigWriterOptions Options => options;

    public void Dispose() => options.Signer?.Dispose();
}
