using System.Security.Cryptography;
using System.Text;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>The object types a pack holds, numbered as in a pack's object header.</summary>
internal enum GitObjectType
{
    Commit = 1,
    Tree = 2,
    Blob = 3,
    Tag = 4,
}

/// <summary>A whole object: its type and content (without the "type size\0" header) and its SHA-1.</summary>
internal sealed record WireObject(GitObjectType Type, byte[] Content)
{
    public string Id { get; } = IdOf(Type, Content);

    public static string TypeName(GitObjectType type) => type switch
    {
        GitObjectType.Commit => "commit",
        GitObjectType.Tree => "tree",
        GitObjectType.Blob => "blob",
        GitObjectType.Tag => "tag",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The object's name as git computes it: SHA-1 of "type size\0" and the content.</summary>
    public static string IdOf(GitObjectType type, ReadOnlySpan<byte> content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        hash.AppendData(Encoding.ASCII.GetBytes($"{TypeName(type)} {content.Length}\0"));
        hash.AppendData(content);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>The tree a commit names (its first header line).</summary>
    public static string CommitTree(ReadOnlySpan<byte> commit)
    {
        if (!commit.StartsWith("tree "u8) || commit.Length < 45)
            throw new WireFormatException("a commit without a tree line");
        return Encoding.ASCII.GetString(commit.Slice(5, 40));
    }
}
