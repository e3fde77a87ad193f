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
    public static byte[] ReadAllBytes(string path, string namedBy, int maxBytes)
    {
        using var handle = Open(path, namedBy, maxBytes);
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            length += read;
        if (length > maxBytes)
            throw Unusable(path, namedBy, maxBytes, $"is larger than {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes");
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
        using var _ = Open(path, namedBy, maxBytes);
        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Writes (or appends) <paramref name="text"/> to <paramref name="path"/>, an output the user names: a FIFO, socket
    /// or device already there is refused before it is opened (opening a FIFO for writing blocks until a reader comes,
    /// and Ctrl+C cannot end the wait); a missing file is created.
    /// </summary>
    /// <exception cref="IOException">Not a regular file, or the usual I/O failures, for the caller's warning.</exception>
    public static void WriteText(string path, string text, bool append)
    {
        UnixFileStatus? status;
        try
        {
            status = UnixFileStatus.Of(path, followLinks: true);
        }
        catch (FileNotFoundException)
        {
            status = null;
        }
        if (status is { Kind: not (UnixFileKind.Regular or UnixFileKind.Directory) })
            throw new IOException($"'{path}' is a FIFO, socket or device, not a regular file");
        if (append) File.AppendAllText(path, text);
        else File.WriteAllText(path, text);
    }

    private static SafeFileHandle Open(string path, string namedBy, int maxBytes)
    {
        // The path's status first: a device is not even opened (opening some has effects, e.g. a tape rewinds).
        Check(UnixFileStatus.Of(path, followLinks: true), path, namedBy, maxBytes);
        var handle = UnixFileStatus.OpenForReading(path) ?? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            // Then what was opened, in case the path changed meanwhile.
            if (UnixFileStatus.Of(handle) is { } opened)
                Check(opened, path, namedBy, maxBytes);
            else if (RandomAccess.GetLength(handle) > maxBytes)
                throw Unusable(path, namedBy, maxBytes, $"is larger than {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Check(UnixFileStatus? status, string path, string namedBy, int maxBytes)
    {
        switch (status)
        {
            case { Kind: UnixFileKind.Directory }:
                throw Unusable(path, namedBy, maxBytes, "is a directory");
            case { Kind: not UnixFileKind.Regular }:
                throw Unusable(path, namedBy, maxBytes, "is a FIFO, socket or device, not a regular file");
            case { Size: var size } when size > maxBytes:
                throw Unusable(path, namedBy, maxBytes, $"is {size.ToString(CultureInfo.InvariantCulture)} bytes, over the limit");
        }
    }

    private static GitOpsException Unusable(string path, string namedBy, int maxBytes, string problem) =>
        new(Errors.UserFileUnusable, namedBy, path, problem, maxBytes.ToString(CultureInfo.InvariantCulture));
}
