using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace GitOps.Build.Diagnostics;

/// <summary>
/// A file the user names (a key, a CA bundle, known_hosts, a release entry): only a regular file is read or handed to a
/// tool, and only up to a size limit. A FIFO would block forever, /dev/zero never ends, a directory is no file.
/// Missing and unreadable files throw the usual IOException/UnauthorizedAccessException, for the caller's own code.
/// </summary>
internal static class UserFile
{
    /// <summary>Keys and known_hosts: an RSA 16384 key is 12 kB, a GnuPG export with subkeys some 100 kB.</summary>
    public const int KeyLimit = 1024 * 1024;

    /// <summary>A CA bundle: the system's own has some 150 certificates in 220 kB.</summary>
    public const int CertificateLimit = 16 * 1024 * 1024;

    /// <summary>Reads the whole file <paramref name="path"/>, which <paramref name="namedBy"/> (a variable or property) names.</summary>
    /// <exception cref="GitOpsException">GITOPS100: not a regular file, or over <paramref name="maxBytes"/>.</exception>
    public static byte[] ReadAllBytes(string path, string namedBy, int maxBytes) =>
        ReadAllBytes(path, maxBytes, problem => Unusable(path, namedBy, maxBytes, problem));

    /// <summary>As <see cref="ReadAllBytes(string, string, int)"/>, with the caller's own error for what is wrong with the file (it "is a directory", …).</summary>
    public static byte[] ReadAllBytes(string path, int maxBytes, Func<string, GitOpsException> unusable)
    {
        using var handle = Open(path, maxBytes, unusable);
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            length += read;
        if (length > maxBytes)
            throw unusable($"is larger than {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes");
        return buffer[..length];
    }

    /// <summary>The file's text: UTF-8, or what its byte order mark says.</summary>
    public static string ReadAllText(string path, string namedBy, int maxBytes)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(path, namedBy, maxBytes)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Checks a file that a tool (ssh, ssh-keygen) will open by path; returns its full path.</summary>
    public static string CheckForTool(string path, string namedBy, int maxBytes)
    {
        using var _ = Open(path, maxBytes, problem => Unusable(path, namedBy, maxBytes, problem));
        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Writes (<paramref name="append"/>: appends) <paramref name="text"/> to an output file the user or the CI runner
    /// names (GitOpsResultFile, GITHUB_OUTPUT, …), its directory created. Only a regular file, or none yet: a FIFO would
    /// block the write, and the build, until something read it.
    /// </summary>
    /// <exception cref="IOException">The path is a FIFO, socket, device or directory, or the write failed.</exception>
    public static void WriteText(string path, string text, bool append)
    {
        CheckOutput(path);
        if (append) File.AppendAllText(path, text);
        else File.WriteAllText(path, text);
    }

    /// <summary>Before an output file is read or written: its directory created, and no file there but a regular one.</summary>
    /// <exception cref="IOException">The path is a FIFO, socket, device or directory.</exception>
    public static void CheckOutput(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        UnixFileStatus? status;
        try
        {
            status = UnixFileStatus.Of(path, followLinks: true);
        }
        catch (FileNotFoundException)
        {
            return; // written afresh
        }
        if (Problem(status, int.MaxValue) is { } problem)
            throw new IOException($"'{path}' {problem}");
    }

    private static SafeFileHandle Open(string path, int maxBytes, Func<string, GitOpsException> unusable)
    {
        // The path's status first: a device is not even opened (opening some has effects, e.g. a tape rewinds).
        if (Problem(UnixFileStatus.Of(path, followLinks: true), maxBytes) is { } problem)
            throw unusable(problem);
        var handle = UnixFileStatus.OpenForReading(path) ?? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            // Then what was opened, in case the path changed meanwhile.
            if (UnixFileStatus.Of(handle) is { } opened)
            {
                if (Problem(opened, maxBytes) is { } changed)
                    throw unusable(changed);
            }
            else if (RandomAccess.GetLength(handle) > maxBytes)
                throw unusable($"is larger than {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static string? Problem(UnixFileStatus? status, int maxBytes) => status switch
    {
        { Kind: UnixFileKind.Directory } => "is a directory",
        { Kind: not UnixFileKind.Regular } => "is a FIFO, socket or device, not a regular file",
        { Size: var size } when size > maxBytes => $"is {size.ToString(CultureInfo.InvariantCulture)} bytes, over the limit",
        _ => null,
    };

    private static GitOpsException Unusable(string path, string namedBy, int maxBytes, string problem) =>
        new(Errors.UserFileUnusable, namedBy, path, problem, maxBytes.ToString(CultureInfo.InvariantCulture));
}
