using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A treeless clone's answers together may hold no more than a clone (issue 20, "bounded reads everywhere": what is
/// received stays relative to the edit): a server that answers every read of one file with megabytes that were not
/// asked for is stopped with GITOPS118 once the answers pass the writer's bound, lowered to 2 MiB here. A loopback
/// server speaks protocol v2 and sends real objects (a commit, its tree, and a blob of 1.5 MiB that no tree names) but
/// never the file asked for.
/// </summary>
[TestClass]
public sealed class TreelessReceiveLimitTests
{
    private string workDirectory = null!;

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        workDirectory = TempDirectory.NewPath(null, "gitops-treeless-limit-");
        Directory.CreateDirectory(workDirectory);
    }

    [TestCleanup]
    public void DeleteWorkDirectory() => TempDirectory.TryDelete(workDirectory);

    [TestMethod]
    public void Answers_that_add_up_past_the_bound_are_GITOPS118()
    {
        var file = new WireObject(GitObjectType.Blob, "a: 1\n"u8.ToArray());
        var root = new WireObject(GitObjectType.Tree, TreeEntries.Write([new("100644", "a.yaml", file.Id)]));
        var commit = new WireObject(GitObjectType.Commit, Encoding.ASCII.GetBytes(
            $"tree {root.Id}\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nStart\n"));
        var noise = new byte[3 << 19];
        new Random(20).NextBytes(noise);
        var pack = PackWriter.Write([commit, root, new WireObject(GitObjectType.Blob, noise)]);
        using var server = new LoopbackServer(async (request, stream, token) =>
        {
            var body = Encoding.ASCII.GetString(request.Body);
            byte[] answer = request.Method == "GET"
                ? [.. Pkt("# service=git-upload-pack\n"), .. "0000"u8, .. Pkt("version 2\n"), .. Pkt("ls-refs\n"), .. Pkt("fetch=shallow filter\n"), .. "0000"u8]
                : body.Contains("command=ls-refs", StringComparison.Ordinal)
                    ? [.. Pkt($"{commit.Id} HEAD symref-target:refs/heads/main\n"), .. Pkt($"{commit.Id} refs/heads/main\n"), .. "0000"u8]
                    : body.Contains("command=fetch", StringComparison.Ordinal)
                        ? [.. Pkt("packfile\n"), .. pack.Chunk(65515).SelectMany(chunk => (byte[])[.. Encoding.ASCII.GetBytes((chunk.Length + 5).ToString("x4")), 1, .. chunk]), .. "0000"u8]
                        : [.. Pkt("ERR not served here\n"), .. "0000"u8];
            var type = request.Method == "GET" ? "application/x-git-upload-pack-advertisement" : "application/x-git-upload-pack-result";
            await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {answer.Length}\r\n\r\n", token);
            await stream.WriteAsync(answer, token);
        });
        var writer = new ConfigRepositoryWriter(null, NullBuildLog.Instance, new ConfigWriterOptions
        {
            Transports = TestTransports.With(),
            Timeout = TimeSpan.FromMinutes(5),
            WorkDirectory = workDirectory,
            PushRetries = 0,
            MaxReceivedBytes = 2L << 20,
        }, Backoff.None);

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            writer.Commit(ConfigRepositoryWriterTests.Request(server.BaseUrl + "/config.git"), FunctionChange.Replace("a.yaml", "a", "b")));

        Assert.AreEqual(Errors.ConfigTransferTooLarge.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "2 MiB");
        Assert.AreEqual(2, server.Requests.Count(request => Encoding.ASCII.GetString(request.Body).Contains("command=fetch", StringComparison.Ordinal)),
            "the second answer passed the bound");
        Assert.IsFalse(server.Requests.Any(request => request.Target.Contains("receive-pack", StringComparison.Ordinal)), "nothing was pushed");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(workDirectory));
    }

    private static byte[] Pkt(string payload) => RefAdvertisementLimitTests.Pkt(payload);
}
