using System.Buffers.Binary;
using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A server that answers a clone with a pack without end (a blob that never finishes: valid empty stored deflate
/// blocks, which inflate to nothing, so the blob never passes its declared size and only the byte bound stops it)
/// or with a pack declaring billions of objects is stopped with GITOPS118 at the transfer's bound, over HTTP and SSH,
/// with nothing left in the work directory. No real git server sends such a pack: over HTTP a loopback server does,
/// over SSH a stand-in for the ssh client (SshSettings.Program) that prints it, as ssh would relay git-upload-pack's
/// output. The writer's bound is lowered to 2 MiB here so the endless pack ends quickly; the default's reasoning is on
/// ReceiveLimit.
/// </summary>
[TestClass]
public sealed class EndlessPackTests
{
    private const long Bound = 2L << 20;
    private static readonly string Tip = new('1', 40);

    private readonly HostileServerWriter writer = new("gitops-endless-pack-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    public void An_endless_pack_over_HTTP_is_GITOPS118()
    {
        using var server = PackServer(objects: 1, endless: true);

        var error = writer.Commit(server.BaseUrl + "/config.git", maxReceivedBytes: Bound);

        Assert.AreEqual(Errors.ConfigTransferTooLarge.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "2 MiB");
        writer.AssertHolds();
    }

    [TestMethod]
    public void A_pack_declaring_more_objects_than_the_bound_over_HTTP_is_GITOPS118_at_its_header()
    {
        using var server = PackServer(objects: int.MaxValue, endless: false);

        var error = writer.Commit(server.BaseUrl + "/config.git", maxReceivedBytes: Bound);

        Assert.AreEqual(Errors.ConfigTransferTooLarge.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "2,147,483,647 objects");
        writer.AssertHolds();
    }

    [TestMethod]
    public void An_endless_pack_over_SSH_is_GITOPS118()
    {
        var prefix = Path.Combine(writer.WorkDirectory, "prefix");
        File.WriteAllBytes(prefix, [.. Advertisement(http: false), .. PackStart(objects: 1)]);
        var blocks = Path.Combine(writer.WorkDirectory, "blocks");
        File.WriteAllBytes(blocks, StoredBlock());
        var program = Path.Combine(writer.WorkDirectory, "endless-ssh");
        // After the advertisement, the empty shallow list, NAK and the pack's start: empty stored blocks, forever.
        ShellScript.Write(program, $"#!/bin/sh\ncat '{prefix}'\nwhile :; do cat '{blocks}'; done\n");

        var error = writer.Commit("ssh://git@127.0.0.1:1/config.git", new SshSettings { Program = program }, Bound);

        Assert.AreEqual(Errors.ConfigTransferTooLarge.Code, error.Code, error.Message);
        writer.AssertHolds(program, prefix, blocks);
    }

    /// <summary>A fetch into a clone may receive the clone's own size, at least 4 MiB, at most the clone's bound.</summary>
    [TestMethod]
    public void A_fetch_into_a_clone_is_bounded_by_the_clone_s_size()
    {
        var git = Path.Combine(writer.WorkDirectory, "git");
        Directory.CreateDirectory(Path.Combine(git, "objects", "pack"));
        Assert.AreEqual(ReceiveLimit.FetchMinBytes, ReceiveLimit.ForFetchInto(git, ReceiveLimit.CloneMaxBytes));

        File.WriteAllBytes(Path.Combine(git, "objects", "pack", "pack-1.pack"), new byte[ReceiveLimit.FetchMinBytes + 100]);
        Assert.AreEqual(ReceiveLimit.FetchMinBytes + 100, ReceiveLimit.ForFetchInto(git, ReceiveLimit.CloneMaxBytes));
        Assert.AreEqual(1000, ReceiveLimit.ForFetchInto(git, 1000));
    }

    private static LoopbackServer PackServer(int objects, bool endless) =>
        new(async (request, stream, token) =>
        {
            if (request.Method == "GET")
            {
                var advertisement = Advertisement(http: true);
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n" +
                                                        $"Content-Length: {advertisement.Length}\r\n\r\n", token);
                await stream.WriteAsync(advertisement, token);
                return;
            }

            if (Encoding.ASCII.GetString(request.Body).Contains("command=fetch", StringComparison.Ordinal))
            {
                // The treeless clone's protocol v2 fetch of the branch by name (want-ref), which a protocol v0 server
                // does not read: refused, as git's upload-pack refuses a line it does not expect.
                const string refused = "0018ERR unexpected line\n";
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\n" +
                                                        $"Content-Length: {refused.Length}\r\n\r\n{refused}", token);
                return;
            }
            if (!Encoding.ASCII.GetString(request.Body).Contains("done", StringComparison.Ordinal))
            {
                // Stateless negotiation: the first request (wants, deepen) gets the shallow list alone, as git
                // http-backend answers it; the one that ends in "done" gets NAK and the pack.
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\n" +
                                                        $"Content-Length: {ShallowList.Length}\r\n\r\n{ShallowList}", token);
                return;
            }
            await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\nConnection: close\r\n\r\n", token);
            await stream.WriteAsync(PackStart(objects)[ShallowList.Length..], token);
            var block = StoredBlock();
            while (endless && !token.IsCancellationRequested)
                await stream.WriteAsync(block, token);
            await Task.Delay(Timeout.Infinite, token);
        });

    private static byte[] Advertisement(bool http)
    {
        var refs = Pkt($"{Tip} HEAD\0shallow\n").Concat(Pkt($"{Tip} refs/heads/main\n")).Concat("0000"u8.ToArray());
        return (http ? Pkt("# service=git-upload-pack\n").Concat("0000"u8.ToArray()).Concat(refs) : refs).ToArray();
    }

    // What git upload-pack answers "deepen 1" with (its shallow lines end without a newline).
    private static string ShallowList => Encoding.ASCII.GetString(Pkt($"shallow {Tip}")) + "0000";

    // The shallow list, NAK, the pack's header, a blob of 1 KiB (type 3) and the zlib header of its data.
    private static byte[] PackStart(int objects)
    {
        var header = new byte[12];
        "PACK"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)objects);
        var blob = new List<byte>();
        var size = 1UL << 10;
        blob.Add((byte)(0x80 | (3 << 4) | (int)(size & 0x0f)));
        for (size >>= 4; size > 0; size >>= 7)
            blob.Add((byte)((size >= 0x80 ? 0x80 : 0) | (int)(size & 0x7f)));
        return [.. Encoding.ASCII.GetBytes(ShallowList), .. Pkt("NAK\n"), .. header, .. blob, 0x78, 0x01];
    }

    // Empty deflate blocks that are not final, stored (not compressed): LEN 0, NLEN 65535. 64 KiB of them.
    private static byte[] StoredBlock() => [.. Enumerable.Repeat<byte[]>([0x00, 0x00, 0x00, 0xff, 0xff], 13107).SelectMany(block => block)];

    private static byte[] Pkt(string payload) => RefAdvertisementLimitTests.Pkt(payload);
}
