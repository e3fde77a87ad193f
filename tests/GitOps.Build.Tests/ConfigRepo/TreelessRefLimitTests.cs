using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// The treeless clone's list of refs (protocol v2's ls-refs) is bounded as libgit2's ref advertisement is (issue 20,
/// "bounded reads everywhere"): an answer without end is read no further than the advertisement's 64 MB (not the 256 MB
/// of a fetch's answer), and one of more than 500,000 refs is GITOPS115, before any fetch. No real git server answers
/// so: a loopback server speaks protocol v2 to the treeless clone and v0 to libgit2.
/// </summary>
[TestClass]
public sealed class TreelessRefLimitTests
{
    private static readonly string Tip = new('1', 40);

    private readonly HostileServerWriter writer = new("gitops-ls-refs-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    public void An_endless_ls_refs_answer_is_read_no_further_than_the_advertisement_s_bound()
    {
        long lsRefsBytes = 0;
        using var server = Server(async (stream, token) =>
        {
            await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\nConnection: close\r\n\r\n", token);
            var chunk = Enumerable.Range(0, 1000).SelectMany(i => Pkt($"{Tip} refs/heads/b{i:D6}\n")).ToArray();
            while (!token.IsCancellationRequested)
            {
                await stream.WriteAsync(chunk, token);
                Interlocked.Add(ref lsRefsBytes, chunk.Length);
            }
        });

        var error = writer.Commit(server.BaseUrl + "/config.git");

        // What the server could write: the bound, and what the sockets' buffers held when the client stopped reading.
        Assert.IsTrue(Interlocked.Read(ref lsRefsBytes) < RefAdvertisementLimit.MaxBytes + (16 << 20), $"{lsRefsBytes:N0} bytes of ls-refs were sent");
        Assert.AreEqual(Errors.ConfigRefAdvertisementTooLarge.Code, error.Code, "libgit2's clone, which follows, meets the advertisement's bound: " + error.Message);
        writer.AssertHolds();
    }

    [TestMethod]
    public void An_ls_refs_answer_of_more_refs_than_the_bound_is_GITOPS115_before_any_fetch()
    {
        var answer = Enumerable.Range(0, RefAdvertisementLimit.MaxRefs + 1).SelectMany(i => Pkt($"{Tip} refs/heads/b{i:D7}\n")).Concat("0000"u8.ToArray()).ToArray();
        using var server = Server(async (stream, token) =>
        {
            await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\n" +
                                                    $"Content-Length: {answer.Length}\r\n\r\n", token);
            await stream.WriteAsync(answer, token);
        });

        var error = writer.Commit(server.BaseUrl + "/config.git");

        Assert.AreEqual(Errors.ConfigRefAdvertisementTooLarge.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "500,000 refs");
        // The fetch of the branch by name (want-ref) comes first and is refused here (ERR); nothing is fetched by id after ls-refs.
        Assert.IsFalse(server.Requests.Any(request => Encoding.ASCII.GetString(request.Body).Contains("want ", StringComparison.Ordinal)), "no fetch by id");
        Assert.IsFalse(server.Requests.Any(request => request.Method == "GET" && !request.Headers.ContainsKey("git-protocol")), "no clone by libgit2 followed");
        writer.AssertHolds();
    }

    /// <summary>
    /// Protocol v2's capabilities (with filters) to the treeless clone, <paramref name="lsRefs"/> for its ls-refs, ERR for
    /// anything else; to libgit2 (protocol v0) an advertisement without end.
    /// </summary>
    private static LoopbackServer Server(Func<Stream, CancellationToken, Task> lsRefs) =>
        new(async (request, stream, token) =>
        {
            var v2 = request.Headers.GetValueOrDefault("git-protocol") == "version=2";
            if (request.Method == "GET" && !v2)
            {
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n" +
                                                        "Connection: close\r\n\r\n001e# service=git-upload-pack\n0000", token);
                var chunk = Enumerable.Repeat(Pkt($"{Tip} refs/heads/main\n"), 1000).SelectMany(line => line).ToArray();
                while (!token.IsCancellationRequested)
                    await stream.WriteAsync(chunk, token);
                return;
            }
            if (Encoding.ASCII.GetString(request.Body).Contains("command=ls-refs", StringComparison.Ordinal))
            {
                await lsRefs(stream, token);
                return;
            }
            byte[] answer = request.Method == "GET"
                ? [.. Pkt("# service=git-upload-pack\n"), .. "0000"u8, .. Pkt("version 2\n"), .. Pkt("ls-refs\n"), .. Pkt("fetch=shallow filter\n"), .. "0000"u8]
                : [.. Pkt("ERR not served here\n"), .. "0000"u8];
            var type = request.Method == "GET" ? "application/x-git-upload-pack-advertisement" : "application/x-git-upload-pack-result";
            await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {answer.Length}\r\n\r\n", token);
            await stream.WriteAsync(answer, token);
        });

    private static byte[] Pkt(string payload) => RefAdvertisementLimitTests.Pkt(payload);
}
