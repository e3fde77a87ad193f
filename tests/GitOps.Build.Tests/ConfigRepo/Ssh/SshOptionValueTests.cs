using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>Paths go to ssh as option values its config parser reads back exactly (the real ssh: SshOptionQuotingTests).</summary>
[TestClass]
public sealed class SshOptionValueTests
{
    [TestMethod]
    [DataRow("/k/known hosts", "\"/k/known hosts\"")]
    [DataRow("/tmp/a%h%%b", "\"/tmp/a%%h%%%%b\"")]
    [DataRow("/tmp/it's \"x\"", "\"/tmp/it's \\\"x\\\"\"")]
    [DataRow(@"/tmp/back\slash", "\"/tmp/back\\\\slash\"")]
    [DataRow("/tmp/Grüße #1 $HOME", "\"/tmp/Grüße #1 $HOME\"")]
    public void A_path_is_quoted_for_argv_split_and_its_percent_signs_doubled(string path, string value) =>
        CollectionAssert.AreEqual(new[] { "-o", "UserKnownHostsFile=" + value }, SshOptionValue.Path("UserKnownHostsFile", path));

    [TestMethod]
    [DataRow("/tmp/${HOME}/key")]
    [DataRow("/tmp/line\nbreak")]
    public void A_path_no_quoting_carries_is_GITOPS101_naming_where_it_came_from(string path)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => SshOptionValue.Checked(path, "GITOPS_SSH_KNOWN_HOSTS"));

        Assert.AreEqual(Errors.SshPathUnusable.Code, error.Code);
        StringAssert.Contains(error.Message, "GITOPS_SSH_KNOWN_HOSTS");
    }
}
