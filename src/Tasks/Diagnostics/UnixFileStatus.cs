using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GitOps.Build.Diagnostics;

/// <summary>What a file is, as far as .NET does not say: FIFO or device, owner, hard links.</summary>
internal enum UnixFileKind
{
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, a socket or a device: reading one may block forever or never end.</summary>
    Special,
}

/// <summary>
/// A file's type, owner, link count and size from Linux's statx(2), whose layout is the same on every architecture.
/// Null where there is no statx (Windows, macOS, an old libc): callers fall back to what .NET tells.
/// </summary>
internal readonly record struct UnixFileStatus(UnixFileKind Kind, uint OwnerId, uint LinkCount, long Size)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;
    private const int TypeMask = 0xF000;

    /// <summary>The status of <paramref name="path"/>, or of the link itself when <paramref name="followLinks"/> is false.</summary>
    public static UnixFileStatus? Of(string path, bool followLinks) =>
        Query(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow);

    /// <summary>The status of an open file: what was really opened, whatever the path names now.</summary>
    public static UnixFileStatus? Of(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), "", AtEmptyPath);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>The effective user id of this process; null where there is none to ask (Windows).</summary>
    public static uint? CurrentUserId
    {
        get
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
                return null;
            try
            {
                return NativeMethods.geteuid();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    private static UnixFileStatus? Query(int directory, string path, int flags)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var buffer = new byte[256];
        try
        {
            if (NativeMethods.statx(directory, path, flags, BasicStats, buffer) != 0)
                return Marshal.GetLastPInvokeError() switch
                {
                    2 or 20 => throw new FileNotFoundException($"'{path}' does not exist.", path), // ENOENT, ENOTDIR
                    13 => throw new UnauthorizedAccessException($"'{path}' may not be read."), // EACCES
                    38 => null, // ENOSYS: a kernel without statx
                    var errno => throw new IOException($"'{path}' could not be examined (errno {errno})."),
                };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        // struct statx: stx_nlink at 16, stx_uid at 20, stx_mode at 28, stx_size at 40.
        var mode = BitConverter.ToUInt16(buffer, 28) & TypeMask;
        var kind = mode switch
        {
            0x8000 => UnixFileKind.Regular,
            0x4000 => UnixFileKind.Directory,
            0xA000 => UnixFileKind.SymbolicLink,
            _ => UnixFileKind.Special,
        };
        return new UnixFileStatus(kind, BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 16), (long)BitConverter.ToUInt64(buffer, 40));
    }

    /// <summary>Opens for reading without blocking on a FIFO (O_NONBLOCK), so that its status can be checked first.</summary>
    internal static SafeFileHandle? OpenForReading(string path)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        const int readOnlyNonBlockingNoTtyCloseOnExec = 0x800 | 0x100 | 0x80000;
        var descriptor = NativeMethods.open(path, readOnlyNonBlockingNoTtyCloseOnExec);
        if (descriptor >= 0)
            return new SafeFileHandle(descriptor, ownsHandle: true);
        return Marshal.GetLastPInvokeError() switch
        {
            2 or 20 => throw new FileNotFoundException($"'{path}' does not exist.", path),
            13 or 1 => throw new UnauthorizedAccessException($"'{path}' may not be read."),
            var errno => throw new IOException($"'{path}' could not be opened (errno {errno})."),
        };
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc")]
        public static extern uint geteuid();
    }
}
