using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.Forge;

/// <summary>
/// A forge that misbehaves on purpose, for the hostile probes' API tests: a loopback server answering each route with
/// the JSON a test gives (no forge runs here; the routes are the ones the contract tests hold to each forge's
/// description), and the client aimed at it.
/// </summary>
internal static class HostileForge
{
    public const string Sha = "0123456789012345678901234567890123456789";
    public static readonly ForgeTip Tip = new("main", Sha, "Start", "7777777777777777777777777777777777777777");

    public static ForgeHttp Http(ForgeKind kind, LoopbackServer server, string apiPath, TimeSpan deadline, IBuildLog log) =>
        new(new ForgeRepository(kind, new Uri(server.BaseUrl + apiPath), "team", null, "config", "https://forge.example/team/config.git"),
            new ForgeCredentials("forge-token", ForgeCredentials.ForgeTokenVariable), HttpTransportSettings.Direct,
            new Deadline(deadline, CancellationToken.None), log);

    /// <summary>Every request answered 200 with <paramref name="answer"/>'s JSON for its target; <paramref name="seen"/> hears each target.</summary>
    public static LoopbackServer Routes(Func<string, string> answer, Action<string>? seen = null) =>
        new(async (request, stream, token) =>
        {
            seen?.Invoke(request.Target);
            // Head and body in one write: two writes meet Nagle and delayed ACK on loopback (~40 ms an answer), which
            // made the thousand pages of an endless listing race the deadline.
            var body = answer(request.Target);
            await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}", token);
        });
}
