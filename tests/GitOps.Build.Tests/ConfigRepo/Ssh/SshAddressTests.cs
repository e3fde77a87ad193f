using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

[TestClass]
public sealed class SshAddressTests
{
    [TestMethod]
    [DataRow("ssh://git@example.com/team/config.git", "git", "example.com", null, "/team/config.git")]
    [DataRow("ssh://gitops@127.0.0.1:2222/srv/git/config.git", "gitops", "127.0.0.1", 2222, "/srv/git/config.git")]
    [DataRow("SSH://example.com:22/config.git", null, "example.com", 22, "/config.git")]
    [DataRow("ssh://git@[::1]:2222/config.git", "git", "::1", 2222, "/config.git")]
    [DataRow("git+ssh://git@example.com/a%20b.git", "git", "example.com", null, "/a b.git")]
    [DataRow("ssh+git://example.com/config.git", null, "example.com", null, "/config.git")]
    public void An_ssh_URL_names_the_login_the_port_and_an_absolute_path(string url, string? user, string host, int? port, string path) =>
        Assert.AreEqual(new SshAddress(user, host, port, path), SshAddress.TryParse(url));

    [TestMethod]
    [DataRow("ssh://git@example.com/~/config.git", "~/config.git")]
    [DataRow("ssh://git@example.com/~alice/config.git", "~alice/config.git")]
    public void A_tilde_after_the_host_is_a_home_directory_as_in_git(string url, string path) =>
        Assert.AreEqual(path, SshAddress.TryParse(url)!.Path);

    [TestMethod]
    [DataRow("git@github.com:team/config.git", "git", "github.com", "team/config.git")]
    [DataRow("git@github.com:/srv/config.git", "git", "github.com", "/srv/config.git")]
    [DataRow("example.com:~/config.git", null, "example.com", "~/config.git")]
    [DataRow("gitops@127.0.0.2:config.git", "gitops", "127.0.0.2", "config.git")]
    [DataRow("git@[fe80::1]:config.git", "git", "fe80::1", "config.git")]
    [DataRow("localhost-user@myhost:config.git", "localhost-user", "myhost", "config.git")]
    public void An_scp_style_address_keeps_its_path_as_written_relative_to_the_home_directory(string url, string? user, string host, string path) =>
        Assert.AreEqual(new SshAddress(user, host, null, path), SshAddress.TryParse(url));

    [TestMethod]
    [DataRow("https://example.com/config.git")]
    [DataRow("file:///srv/config.git")]
    [DataRow("/srv/config.git")]
    [DataRow("config")]
    [DataRow("ftp:config.git")]
    [DataRow(@"C:\repos\config")]
    [DataRow("C:/repos/config")]
    [DataRow("ssh://example.com")]
    [DataRow("ssh://example.com/")]
    [DataRow("git@example.com:")]
    [DataRow("ssh://-oProxyCommand=touch%20x/config.git")]
    [DataRow("ssh://-user@example.com/config.git")]
    public void Anything_else_is_not_an_SSH_address(string url) =>
        Assert.IsNull(SshAddress.TryParse(url));

    [TestMethod]
    public void The_path_is_quoted_for_the_remote_shell_as_git_quotes_it() =>
        Assert.AreEqual(@"'/srv/it'\''s'\!'.git'", SshProcess.Quote("/srv/it's!.git"));

    [TestMethod]
    public void Ssh_runs_in_batch_mode_with_strict_host_keys_and_only_the_given_key()
    {
        var address = new SshAddress("git", "example.com", 2222, "/team/config.git");
        using var files = SshIdentityFiles.Create(new SshSettings { Key = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----", KnownHosts = "example.com ssh-ed25519 AAAA" }, null);

        var arguments = SshProcess.Arguments(files, address, SshProcess.ReceivePack);

        CollectionAssert.AreEqual(
            new[]
            {
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile=\"{files.KnownHostsFile}\"",
                "-o", $"IdentityFile=\"{files.KeyFile}\"", "-o", "IdentitiesOnly=yes", "-p", "2222", "--", "git@example.com", "git-receive-pack '/team/config.git'",
            },
            arguments.ToArray());
    }

    [TestMethod]
    public void Without_key_or_known_hosts_ssh_uses_the_users_own_configuration()
    {
        using var files = SshIdentityFiles.Create(new SshSettings(), null);

        var arguments = SshProcess.Arguments(files, new SshAddress(null, "example.com", null, "config.git"), SshProcess.UploadPack);

        CollectionAssert.AreEqual(
            new[] { "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "--", "example.com", "git-upload-pack 'config.git'" },
            arguments.ToArray());
    }
}
