using System.IO.Compression;
using System.Security.Cryptography;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// Writes a version-2 pack of new objects: each whole, or (with a base the server holds) as a delta against that base
/// (REF_DELTA: a thin pack, which git's receive-pack completes with the base, as `git push` relies on).
/// </summary>
internal static class PackWriter
{
    private const int RefDelta = 7;

    /// <param name="objects">What to send.</param>
    /// <param name="bases">For some objects (by id): the object they were made of, which the server holds (id and content).</param>
    public static byte[] Write(IReadOnlyCollection<WireObject> objects, IReadOnlyDictionary<string, (string Id, byte[] Content)>? bases = null)
    {
        using var output = new MemoryStream();
        output.Write("PACK"u8);
        Span<byte> word = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, 2);
        output.Write(word);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, (uint)objects.Count);
        output.Write(word);
        foreach (var item in objects)
        {
            var data = item.Content;
            if (bases is not null && bases.TryGetValue(item.Id, out var source)
                && PackDelta.Create(source.Content, item.Content) is var delta && delta.Length < item.Content.Length / 2)
            {
                WriteHeader(output, RefDelta, delta.LongLength);
                output.Write(Convert.FromHexString(source.Id));
                data = delta;
            }
            else
            {
                WriteHeader(output, (int)item.Type, item.Content.LongLength);
            }
            using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(data);
        }
        var checksum = SHA1.HashData(output.GetBuffer().AsSpan(0, (int)output.Length));
        output.Write(checksum);
        return output.ToArray();
    }

    private static void WriteHeader(Stream output, int type, long size)
    {
        var b = (byte)((type << 4) | (int)(size & 15));
        size >>= 4;
        while (size != 0)
        {
            output.WriteByte((byte)(b | 0x80));
            b = (byte)(size & 0x7f);
            size >>= 7;
        }
        output.WriteByte(b);
    }
}
