using System.Text;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>
/// The manifest as text without its UTF-8 byte order mark. Strict UTF-8 decoding makes decode+encode
/// the identity, so every byte outside an edited scalar is written back as read.
/// </summary>
internal sealed class ManifestText
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    // Position counts lines from the last index it was asked for (they mostly come in text order), so a large
    // file is scanned about once, and only when a position is needed at all.
    private int countedTo;
    private int countedLines;

    private ManifestText(string path, string text, bool hasBom)
    {
        Path = path;
        Text = text;
        HasBom = hasBom;
    }

    public string Path { get; }

    public string Text { get; }

    public bool HasBom { get; }

    public static ManifestText Decode(string path, byte[] content)
    {
        var hasBom = content.AsSpan().StartsWith(Bom);
        try
        {
            return new ManifestText(path, StrictUtf8.GetString(content, hasBom ? Bom.Length : 0, content.Length - (hasBom ? Bom.Length : 0)), hasBom);
        }
        catch (DecoderFallbackException e)
        {
            throw new GitOpsException(e, Errors.ManifestMalformed, path, "it is not UTF-8 text");
        }
    }

    public ManifestText WithText(string text) => new(Path, text, HasBom);

    public byte[] Encode()
    {
        var body = StrictUtf8.GetBytes(Text);
        return HasBom ? [.. Bom, .. body] : body;
    }

    /// <summary>1-based line and column (in UTF-16 characters) of a character index.</summary>
    public (int Line, int Column) Position(int index)
    {
        if (index < countedTo)
        {
            (countedTo, countedLines) = (0, 0);
        }

        countedLines += Text.AsSpan(countedTo, index - countedTo).Count('\n');
        countedTo = index;
        var lineStart = index == 0 ? 0 : Text.LastIndexOf('\n', index - 1) + 1;
        return (countedLines + 1, index - lineStart + 1);
    }
}
