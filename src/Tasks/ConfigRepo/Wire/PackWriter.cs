using System.IO.Compression;
using System.Security.Cryptography;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>Writes a version-2 pack of whole objects (no deltas: a deploy's few new objects are small).</summary>
internal static class PackWriter
{
    public static byte[] Write(IReadOnlyCollection<WireObject> objects)
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
            WriteHeader(output, (int)item.Type, item.Content.LongLength);
            using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(item.Content);
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
