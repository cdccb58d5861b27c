using System.Runtime.InteropServices;

namespace Research.Storage;

/// <summary>The two things .NET does not offer on Unix: fsync of a directory, and an atomic exchange of two names.</summary>
internal static partial class NativeFiles
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;
    private static bool _exchangeUnavailable;

    /// <summary>Forces a directory's entries (creations, renames, deletions) to disk; a no-op where directories cannot be opened.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(directory, 0);
        if (fd < 0) return; // best effort: a directory we may not open is still renamed into correctly
        try
        {
            if (Fsync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system does not sync directories (some network and FUSE file systems).
                if (errno != 22) throw new IOException($"fsync of directory failed (errno {errno})", errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Forces a file's content to disk.</summary>
    public static void SyncFile(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Swaps two existing names in one step (Linux <c>renameat2(RENAME_EXCHANGE)</c>); false where the system cannot.</summary>
    public static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux() || _exchangeUnavailable) return false;
        try
        {
            if (RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is 22 or 38 or 95) // EINVAL, ENOSYS, EOPNOTSUPP: not supported here; fall back to two renames
            {
                _exchangeUnavailable = true;
                return false;
            }
            throw new IOException($"renameat2 failed (errno {errno})", errno);
        }
        catch (EntryPointNotFoundException)
        {
            _exchangeUnavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
