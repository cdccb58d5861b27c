using System.Text;

namespace Research.Storage.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storage-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Entries() => Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Write_publishes_the_content_and_leaves_nothing_else()
    {
        string path = Path.Combine(_dir, "a.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Entries());
    }

    [Fact]
    public void Write_creates_missing_parent_folders()
    {
        string path = Path.Combine(_dir, "x", "y", "a.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void A_failing_writer_keeps_the_old_file_and_removes_the_temporary()
    {
        string path = Path.Combine(_dir, "a.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Entries());
    }

    [Fact]
    public void A_failed_rename_removes_the_temporary_and_names_the_users_path()
    {
        // The destination is a folder with a file in it, so the final rename fails (research predict -o existing_dir).
        string path = Path.Combine(_dir, "out.npy");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep"), "x");
        var e = Assert.Throws<StorageException>(() => AtomicFile.WriteAllText(path, "data"));
        Assert.StartsWith(path + ":", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Equal(["out.npy"], Entries());
    }

    [Fact]
    public void A_failure_at_the_rename_step_removes_the_temporary()
    {
        string path = Path.Combine(_dir, "state.json");
        FileOperations.Observer = (operation, _) =>
        {
            if (operation == FileOperation.Rename) throw new IOException("No space left on device", 28);
        };
        try
        {
            var e = Assert.Throws<StorageException>(() => AtomicFile.WriteAllText(path, "{}"));
            Assert.True(e.IsDiskFull);
            Assert.Equal($"{path}: cannot write: no space left on the device", e.Message);
        }
        finally
        {
            FileOperations.Observer = null;
        }
        Assert.Empty(Entries());
    }

    [Fact]
    public void A_parent_that_is_a_file_is_named()
    {
        string file = Path.Combine(_dir, "results");
        File.WriteAllText(file, "not a folder");
        var e = Assert.Throws<StorageException>(() => AtomicFile.WriteAllText(Path.Combine(file, "train", "model.zip"), "x"));
        Assert.Contains($"'{file}' is a file, not a folder", e.Message);
    }

    [Fact]
    public void Stale_temporaries_of_dead_processes_are_removed_at_the_next_write_and_live_ones_kept()
    {
        // pid_max on Linux is at most 2^22, so this process id cannot exist.
        string dead = Path.Combine(_dir, $".a.txt.{TempNames.HostTag}-{(1 << 22) + 7}-0badf00d.tmp");
        string deadDirectory = Path.Combine(_dir, $".checkpoint_000001.{TempNames.HostTag}-{(1 << 22) + 7}-0badf00d.deleted");
        string live = Path.Combine(_dir, $".b.txt.{TempNames.HostTag}-{Environment.ProcessId}-0000beef.tmp");
        string foreign = Path.Combine(_dir, $".c.txt.12345678-{(1 << 22) + 7}-0000beef.tmp");
        File.WriteAllText(dead, "partial");
        Directory.CreateDirectory(deadDirectory);
        File.WriteAllText(Path.Combine(deadDirectory, "policy.npz"), "partial");
        File.WriteAllText(live, "in flight");
        File.WriteAllText(foreign, "another machine's, fresh");
        Assert.All(new[] { dead, deadDirectory, live, foreign }, p => Assert.True(TempNames.IsWorkInProgress(Path.GetFileName(p))));

        AtomicFile.WriteAllText(Path.Combine(_dir, "a.txt"), "new");

        Assert.False(File.Exists(dead));
        Assert.False(Directory.Exists(deadDirectory));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public void Foreign_temporaries_older_than_a_day_are_stale()
    {
        string foreign = Path.Combine(_dir, $".c.txt.12345678-42-0000beef.tmp");
        File.WriteAllText(foreign, "x");
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow.AddDays(-2));
        Assert.Equal(1, StaleFiles.Clean(_dir));
        Assert.False(File.Exists(foreign));
    }

    [Fact]
    public void Write_lines_ends_every_line_with_a_newline_in_utf8_without_bom()
    {
        string path = Path.Combine(_dir, "lines.txt");
        AtomicFile.WriteAllLines(path, ["é", "b"]);
        Assert.Equal(Encoding.UTF8.GetBytes("é\nb\n"), File.ReadAllBytes(path));
    }

    [Fact]
    public void Every_step_is_announced_with_the_users_path()
    {
        string path = Path.Combine(_dir, "a.txt");
        var seen = new List<(FileOperation, string)>();
        FileOperations.Observer = (operation, p) => seen.Add((operation, p));
        try
        {
            AtomicFile.WriteAllText(path, "x");
        }
        finally
        {
            FileOperations.Observer = null;
        }
        Assert.Equal([FileOperation.CreateFile, FileOperation.SyncFile, FileOperation.Rename, FileOperation.SyncDirectory], seen.Select(s => s.Item1));
        Assert.All(seen, s => Assert.Equal(path, s.Item2));
    }
}
