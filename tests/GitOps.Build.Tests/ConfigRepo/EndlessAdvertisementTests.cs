using System.Text;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A server whose ref advertisement never ends (hostile probe: 2.5 GB in 30 s before GITOPS030) is stopped at the
/// advertisement's bound with GITOPS115, over HTTP and SSH, whatever time is left. No real git server sends an endless
/// advertisement: over HTTP a loopback server does, over SSH a stand-in for the ssh client (SshSettings.Program) that
/// prints one, as ssh would relay git-upload-pack's output.
/// </summary>
[TestClass]
public sealed class EndlessAdvertisementTests
{
    private static readonly byte[] RefLine = RefAdvertisementLimitTests.Pkt(new string('1', 40) + " refs/heads/main\n");

    private readonly HostileServerWriter writer = new("gitops-endless-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    public void An_endless_advertisement_over_HTTP_is_GITOPS115()
    {
        using var server = new LoopbackServer(async (_, stream, token) =>
        {
            await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n" +
                                                    "Connection: close\r\n\r\n001e# service=git-upload-pack\n0000", token);
            var chunk = Enumerable.Repeat(RefLine, 1000).SelectMany(line => line).ToArray();
            while (!token.IsCancellationRequested)
                await stream.WriteAsync(chunk, token);
        });

        var error = writer.Commit(server.BaseUrl + "/config.git");

        Assert.AreEqual(Errors.ConfigRefAdvertisementTooLarge.Code, error.Code, error.Message);
        writer.AssertHolds();
    }

    [TestMethod]
    public void A_treeless_ls_refs_answer_is_held_to_the_advertisements_bounds_not_read_whole_up_to_256_MB()
    {
        // Protocol v2 for the treeless clone, whose ls-refs answers 100 MB of refs (some 1.7 million: 1.4 GB once
        // parsed); the v0 advertisement libgit2's clone then reads never ends.
        var answeredWhole = false;
        using var server = new LoopbackServer(async (request, stream, token) =>
        {
            var chunk = Enumerable.Repeat(RefLine, 1000).SelectMany(line => line).ToArray();
            if (request.Method == "GET" && request.Headers.GetValueOrDefault("git-protocol") == "version=2")
            {
                const string capabilities = "001e# service=git-upload-pack\n0000000eversion 2\n000cls-refs\n0019fetch=shallow filter\n0000";
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n" +
                                                        $"Content-Length: {capabilities.Length}\r\n\r\n{capabilities}", token);
                return;
            }
            if (request.Method == "POST" && !Encoding.ASCII.GetString(request.Body).Contains("command=ls-refs", StringComparison.Ordinal))
            {
                // The fetch of the branch by name (want-ref), tried first: refused, as git without allowRefInWant does.
                const string refused = "0018ERR unexpected line\n";
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\n" +
                                                        $"Content-Length: {refused.Length}\r\n\r\n{refused}", token);
                return;
            }
            if (request.Method == "POST")
            {
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\nConnection: close\r\n\r\n", token);
                for (var written = 0L; written < 100L * 1024 * 1024; written += chunk.Length)
                    await stream.WriteAsync(chunk, token);
                await LoopbackServer.WriteAsync(stream, "0000", token);
                answeredWhole = true;
                stream.Close();
                return;
            }
            await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n" +
                                                    "Connection: close\r\n\r\n001e# service=git-upload-pack\n0000", token);
            while (!token.IsCancellationRequested)
                await stream.WriteAsync(chunk, token);
        });

        var error = writer.Commit(server.BaseUrl + "/config.git");

        Assert.AreEqual(Errors.ConfigRefAdvertisementTooLarge.Code, error.Code, error.Message);
        Assert.IsTrue(server.Requests.Any(r => r.Method == "POST" && Encoding.ASCII.GetString(r.Body).Contains("command=ls-refs", StringComparison.Ordinal)), "the treeless clone listed the refs: " + string.Join(", ", server.Requests.Select(r => r.Method)));
        Assert.IsFalse(answeredWhole, "the 100 MB ls-refs answer was read whole");
    }

    [TestMethod]
    public void An_endless_advertisement_over_SSH_is_GITOPS115()
    {
        var line = Encoding.ASCII.GetString(RefLine).TrimEnd('\n');
        var program = Path.Combine(writer.WorkDirectory, "endless-ssh");
        ShellScript.Write(program, $"#!/bin/sh\nexec yes '{line}'\n");

        var error = writer.Commit("ssh://git@127.0.0.1:1/config.git", new SshSettings { Program = program });

        Assert.AreEqual(Errors.ConfigRefAdvertisementTooLarge.Code, error.Code, error.Message);
        writer.AssertHolds(program);
    }
}
