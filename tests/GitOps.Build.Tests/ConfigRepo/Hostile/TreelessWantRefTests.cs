using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// The branch fetched by name (want-ref, issue 19): the tip is only ever the one the answer's wanted-refs section names
/// for the very ref asked for. A server that names another ref, none, or two is not believed: its answer is not used
/// (nor its objects), the branch's tip is asked for by ls-refs, and the write-back goes on from that tip.
/// </summary>
[TestClass]
public sealed class TreelessWantRefTests
{
    private const string OldImage = "registry.example.com/team/app:v1";

    private readonly HostileServerWriter writer = new("gitops-hostile-wantref-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    [DataRow("refs/heads/other", "named 'refs/heads/other'", DisplayName = "another ref")]
    [DataRow("refs/heads/main2", "named 'refs/heads/main2'", DisplayName = "a ref that starts like it")]
    [DataRow(null, "has no wanted-refs section", DisplayName = "no wanted-refs section")]
    [DataRow("two", "a wanted-refs line", DisplayName = "two refs for one asked")]
    public void A_wanted_refs_answer_that_does_not_name_the_branch_is_not_used(string? named, string reason)
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var root = Tree(new TreeEntry("100644", "a.yaml", file.Id));
        var (tip, refs) = Tip(root);
        // What the hostile answer claims: another commit (a.yaml elsewhere), which the push must not be based on.
        var otherRoot = Tree(new TreeEntry("100644", "b.yaml", file.Id));
        var (other, _) = Tip(otherRoot);
        using var server = new HostileTreelessServer([tip, root, file, other, otherRoot], refs,
            _ => [.. Pkt("unpack ok\n"), .. Pkt("ng refs/heads/main stop here\n"), .. "0000"u8])
        {
            WantedRefs = named switch
            {
                null => null,
                "two" => $"{other.Id} refs/heads/main\n{tip.Id} refs/heads/main\n",
                _ => $"{other.Id} {named}\n",
            },
        };
        var log = new RecordingLog();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, log));

        // The push reached the server from ls-refs' tip: the claimed one was not used.
        Assert.AreEqual(Errors.ConfigPushRejected.Code, error.Code, error.Message);
        Assert.AreEqual(1, server.Pushes.Count, string.Join("\n", log.Important));
        var command = Encoding.ASCII.GetString(server.Pushes[0]);
        StringAssert.StartsWith(command[4..], $"{tip.Id} ", command[..Math.Min(command.Length, 120)]);
        Assert.IsFalse(command.Contains(other.Id, StringComparison.Ordinal));
        var declined = log.Detail.Where(line => line.Contains("does not serve a fetch of the branch by name", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, declined.Count, string.Join("\n", log.Detail));
        StringAssert.Contains(declined[0], reason);
        Assert.IsTrue(server.Requests.Any(request => Encoding.ASCII.GetString(request.Body).Contains("command=ls-refs", StringComparison.Ordinal)), "asked ls-refs");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(writer.WorkDirectory), "no clone left");
    }

    [TestMethod]
    public void A_wanted_refs_answer_for_the_branch_gives_the_tip_without_ls_refs()
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var root = Tree(new TreeEntry("100644", "a.yaml", file.Id));
        var (tip, refs) = Tip(root);
        using var server = new HostileTreelessServer([tip, root, file], refs,
            _ => [.. Pkt("unpack ok\n"), .. Pkt("ng refs/heads/main stop here\n"), .. "0000"u8])
        {
            WantedRefs = $"{tip.Id} refs/heads/main\n",
        };
        var log = new RecordingLog();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, log));

        Assert.AreEqual(Errors.ConfigPushRejected.Code, error.Code, error.Message);
        StringAssert.StartsWith(Encoding.ASCII.GetString(server.Pushes.Single())[4..], $"{tip.Id} ");
        Assert.IsFalse(server.Requests.Any(request => Encoding.ASCII.GetString(request.Body).Contains("command=ls-refs", StringComparison.Ordinal)), "no ls-refs");
        Assert.AreEqual(0, log.Detail.Count(line => line.Contains("by name", StringComparison.Ordinal)), string.Join("\n", log.Detail));
    }

    private void Deploy(HostileTreelessServer server, RecordingLog log) =>
        writer.Deploy(server.Url, "a.yaml", "registry.example.com/team/app:v2", TimeSpan.FromMinutes(1), log: log);
}
