using System.Text;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// The sixth hostile probe (issue 20): a treeless push whose report-status cannot be read (garbage, side-band bytes
/// never asked for). Its text is no server's word: before, it was taken for a refusal (GITOPS023, though the push may
/// have landed) or, holding "fetch first", for a lost race (fetched again, our own commit then at the tip). Now the
/// branch decides: at the pushed commit a deploy, where it was GITOPS023, elsewhere GITOPS105; never retried.
/// </summary>
[TestClass]
public sealed class TreelessPushReportTests
{
    private const string OldImage = "registry.example.com/team/app:v1";
    private const string NewImage = "registry.example.com/team/app:v2";

    private readonly HostileServerWriter writer = new("gitops-hostile-report-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    public static IEnumerable<object[]> Garbage() =>
    [
        ["not a report", (byte[])[.. Pkt("zzzz\n"), .. "0000"u8]],
        ["a lost race's words", (byte[])[.. Pkt("! [rejected] main (fetch first)\n"), .. "0000"u8]],
        ["side-band bytes never asked for", (byte[])[.. Pkt("\u0001unpack ok\n"), .. Pkt("\u0001ok refs/heads/main\n"), .. "0000"u8]],
        ["not pkt-lines", "HTTP/1.1 200 OK\r\n"u8.ToArray()],
    ];

    [TestMethod]
    [DynamicData(nameof(Garbage))]
    public void An_unreadable_report_after_which_the_branch_is_at_the_pushed_commit_is_a_deploy(string name, byte[] report)
    {
        using var server = Server(report, moveTo: "pushed");

        var result = writer.Deploy(server.Url, "a.yaml", NewImage, TimeSpan.FromSeconds(30));

        // Before: GITOPS023 ("rejected", nothing changed), or a lost race fetched again, for a deploy that landed.
        Assert.AreEqual(1, server.Pushes.Count, name);
        Assert.AreEqual(NewCommit(server.Pushes[0]), result.CommitSha, name);
    }

    [TestMethod]
    [DynamicData(nameof(Garbage))]
    public void An_unreadable_report_after_which_the_branch_did_not_move_is_GITOPS023(string name, byte[] report)
    {
        using var server = Server(report, moveTo: null);

        var error = Assert.ThrowsExactly<GitOpsException>(() => writer.Deploy(server.Url, "a.yaml", NewImage, TimeSpan.FromSeconds(30)));

        Assert.AreEqual(Errors.ConfigPushRejected.Code, error.Code, name + ": " + error.Message);
        StringAssert.Contains(error.Message, "its report cannot be read", name);
        Assert.AreEqual(1, server.Pushes.Count, name);
    }

    [TestMethod]
    [DynamicData(nameof(Garbage))]
    public void An_unreadable_report_after_which_the_branch_is_elsewhere_is_GITOPS105_and_not_retried(string name, byte[] report)
    {
        using var server = Server(report, moveTo: "other");

        var error = Assert.ThrowsExactly<GitOpsException>(() => writer.Deploy(server.Url, "a.yaml", NewImage, TimeSpan.FromSeconds(30)));

        Assert.AreEqual(Errors.ConfigPushReportUnreadable.Code, error.Code, name + ": " + error.Message);
        Assert.AreEqual(1, server.Pushes.Count, name);
    }

    // A tip of a.yaml; the push is answered with report, after which ls-refs names the pushed commit, another, or the tip.
    private static HostileTreelessServer Server(byte[] report, string? moveTo)
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var root = Tree(new TreeEntry("100644", "a.yaml", file.Id));
        var (tip, refs) = Tip(root);
        HostileTreelessServer? server = null;
        server = new HostileTreelessServer([tip, root, file], refs, push =>
        {
            var moved = moveTo switch { "pushed" => NewCommit(push), "other" => new string('b', 40), _ => null };
            if (moved is not null)
                server!.Refs = $"{moved} HEAD symref-target:refs/heads/main\n{moved} refs/heads/main\n";
            return report;
        });
        return server;
    }

    // The new id of the push's one command ("old new ref").
    private static string NewCommit(byte[] push) => Encoding.ASCII.GetString(push, 4 + 41, 40);
}
