using System.Text;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// The server's report for one ref of a push: ok, or "ng" with its reason. <paramref name="Unreadable"/>: the report
/// itself could not be read (<paramref name="Reason"/> says why), so whether the server applied the update is unknown.
/// </summary>
internal sealed record RefUpdateStatus(string Ref, bool Ok, string? Reason, bool Unreadable = false);

/// <summary>
/// A push in git's v0/v1 send-pack protocol (protocol v2 has no push): one command "old new ref", report-status, then
/// the pack. Never forced: the server applies it only while the ref is still at old.
/// </summary>
internal static class ReceivePack
{
    public const string ZeroId = "0000000000000000000000000000000000000000";

    public static byte[] Request(string reference, string oldId, string newId, byte[] pack)
    {
        using var output = new MemoryStream();
        PktLineWriter.WriteData(output, Encoding.UTF8.GetBytes($"{oldId} {newId} {reference}\0report-status {ProtocolV2.Agent}\n"));
        PktLineWriter.WriteFlush(output);
        output.Write(pack);
        return output.ToArray();
    }

    /// <summary>
    /// The report: "unpack ok" (or the reason the pack was refused), then a status per ref. A server that sent no
    /// report for <paramref name="reference"/> did not apply it.
    /// </summary>
    public static RefUpdateStatus ParseReport(ReadOnlyMemory<byte> answer, string reference)
    {
        var reader = new PktLineReader(answer);
        var unpack = reader.Read();
        if (unpack.Kind != PktLineKind.Data)
            throw new WireFormatException("no report-status in the push's answer");
        ProtocolV2.ThrowIfError(unpack.Text);
        if (!unpack.Text.StartsWith("unpack ", StringComparison.Ordinal))
            throw new WireFormatException($"a report that starts with '{unpack.Text}'");
        var unpacked = unpack.Text == "unpack ok";
        PktLine line;
        while ((line = reader.Read()).Kind == PktLineKind.Data)
        {
            var text = line.Text;
            if (text.StartsWith("ok ", StringComparison.Ordinal) && text[3..] == reference)
                return new RefUpdateStatus(reference, unpacked, unpacked ? null : unpack.Text[7..]);
            if (text.StartsWith("ng ", StringComparison.Ordinal) && text[3..].StartsWith(reference + " ", StringComparison.Ordinal))
                return new RefUpdateStatus(reference, false, text[(4 + reference.Length)..]);
        }
        return new RefUpdateStatus(reference, false, unpacked ? "no status for the ref" : unpack.Text[7..]);
    }
}
