using System.Diagnostics;
using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Http;
using GitOps.Build.Tests.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A server (or whoever sits in the middle of plain HTTP) answers a clone with a small, well-formed pack whose headers
/// claim what it would take gigabytes to hold: a delta's result of 8 GiB, a chain of deltas that doubles at each link,
/// a blob whose data inflates past its declared size, a blob that declares 8 GiB, results that add up past the bound.
/// Both readers refuse it with GITOPS103 before allocating anything: libgit2's clone (the pack is checked as it streams
/// to its indexer) and the treeless clone (our own reader). No real git server sends such packs: a loopback server
/// speaks just enough of the protocol (v0 for libgit2, v2 for the treeless clone) to send them. The writer's bound is
/// lowered to 2 MiB, as in EndlessPackTests. The process's peak memory is printed as a diagnostic, never asserted.
/// </summary>
[TestClass]
public sealed class DeltaBombTests
{
    private const long Bound = 2L << 20;
    private static readonly string Tip = new('1', 40);

    private readonly HostileServerWriter writer = new("gitops-delta-bomb-");

    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Bombs() => BombPack.Kinds.Keys.Select(name => new object[] { name });

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    [DynamicData(nameof(Bombs))]
    public void A_bomb_sent_to_libgit2_s_clone_is_GITOPS103_before_its_indexer_allocates_it(string name)
    {
        using var server = BombServer(BombPack.Kinds[name](), treeless: false);

        var error = Commit(server.BaseUrl + "/config.git");

        Assert.AreEqual(Errors.ConfigPackInflatesTooFar.Code, error.Code, name + ": " + error.Message);
        StringAssert.Contains(error.Message, "2 MiB");
        Assert.IsFalse(server.Requests.Any(request => request.Target.Contains("receive-pack", StringComparison.Ordinal)), "nothing was pushed");
        writer.AssertHolds();
    }

    [TestMethod]
    [DynamicData(nameof(Bombs))]
    public void A_bomb_sent_to_the_treeless_clone_is_GITOPS103_without_falling_back_to_a_clone(string name)
    {
        using var server = BombServer(BombPack.Kinds[name](), treeless: true);

        var error = Commit(server.BaseUrl + "/config.git");

        Assert.AreEqual(Errors.ConfigPackInflatesTooFar.Code, error.Code, name + ": " + error.Message);
        Assert.IsTrue(server.Requests.Any(request => Encoding.ASCII.GetString(request.Body).Contains("command=fetch", StringComparison.Ordinal)), "the treeless clone fetched");
        Assert.IsFalse(server.Requests.Any(request => request.Method == "POST" && !Encoding.ASCII.GetString(request.Body).Contains("command=", StringComparison.Ordinal)),
            "the treeless clone refused the pack itself: no libgit2 clone followed");
        Assert.IsFalse(server.Requests.Any(request => request.Target.Contains("receive-pack", StringComparison.Ordinal)), "nothing was pushed");
        writer.AssertHolds();
    }

    private GitOpsException Commit(string url)
    {
        try
        {
            return writer.Commit(url, maxReceivedBytes: Bound);
        }
        finally
        {
            // A diagnostic: the whole test process's peak so far (libgit2's allocations included).
            TestContext.WriteLine($"peak working set of the test process: {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB");
        }
    }

    /// <summary>
    /// Serves <paramref name="pack"/> for any fetch: to libgit2 (protocol v0: the advertisement, the shallow list, then NAK
    /// and the pack) and, with <paramref name="treeless"/>, to a client asking for protocol v2 (capabilities with filters,
    /// ls-refs, and the pack in the fetch's packfile section).
    /// </summary>
    private static LoopbackServer BombServer(byte[] pack, bool treeless) =>
        new(async (request, stream, token) =>
        {
            var v2 = treeless && request.Headers.GetValueOrDefault("git-protocol") == "version=2";
            var body = Encoding.ASCII.GetString(request.Body);
            byte[] answer;
            string type;
            if (request.Method == "GET")
            {
                type = "application/x-git-upload-pack-advertisement";
                answer = v2
                    ? [.. Pkt("# service=git-upload-pack\n"), .. "0000"u8, .. Pkt("version 2\n"), .. Pkt("agent=bomb\n"), .. Pkt("ls-refs\n"), .. Pkt("fetch=shallow filter\n"), .. "0000"u8]
                    : [.. Pkt("# service=git-upload-pack\n"), .. "0000"u8, .. Pkt($"{Tip} HEAD\0shallow\n"), .. Pkt($"{Tip} refs/heads/main\n"), .. "0000"u8];
            }
            else
            {
                type = "application/x-git-upload-pack-result";
                answer = body.Contains("command=ls-refs", StringComparison.Ordinal)
                    ? [.. Pkt($"{Tip} HEAD symref-target:refs/heads/main\n"), .. Pkt($"{Tip} refs/heads/main\n"), .. "0000"u8]
                    : body.Contains("command=fetch", StringComparison.Ordinal)
                        ? [.. Pkt("packfile\n"), .. SideBand(pack), .. "0000"u8]
                        // Stateless v0 negotiation: the shallow list first, NAK and the raw pack (no side-band) after "done".
                        : body.Contains("done", StringComparison.Ordinal)
                            ? [.. Pkt("NAK\n"), .. pack]
                            : [.. Pkt($"shallow {Tip}"), .. "0000"u8];
            }
            await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {answer.Length}\r\n\r\n", token);
            await stream.WriteAsync(answer, token);
        });

    // The pack in band 1, in packets of at most 65,515 bytes of data.
    private static byte[] SideBand(byte[] pack) =>
        pack.Chunk(65515).SelectMany(chunk => (byte[])[.. Encoding.ASCII.GetBytes((chunk.Length + 5).ToString("x4")), 1, .. chunk]).ToArray();

    private static byte[] Pkt(string payload) => RefAdvertisementLimitTests.Pkt(payload);
}
