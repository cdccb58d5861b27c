namespace Research.Storage.Tests;

public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storage-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Entries() => Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void A_directory_appears_only_when_complete()
    {
        string path = Path.Combine(_dir, "checkpoint_000001");
        AtomicDirectory.Write(path, working =>
        {
            Assert.False(Directory.Exists(path));
            Assert.True(TempNames.IsWorkInProgress(Path.GetFileName(working)));
            File.WriteAllText(Path.Combine(working, "a"), "1");
            Directory.CreateDirectory(Path.Combine(working, "sub"));
            File.WriteAllText(Path.Combine(working, "sub", "b"), "2");
        });
        Assert.Equal("2", File.ReadAllText(Path.Combine(path, "sub", "b")));
        Assert.Equal(["checkpoint_000001"], Entries());
    }

    [Fact]
    public void A_failing_fill_leaves_nothing()
    {
        string path = Path.Combine(_dir, "checkpoint_000001");
        Assert.Throws<InvalidOperationException>(() => AtomicDirectory.Write(path, working =>
        {
            File.WriteAllText(Path.Combine(working, "a"), "1");
            throw new InvalidOperationException("boom");
        }));
        Assert.Empty(Entries());
    }

    [Fact]
    public void Replacing_swaps_the_whole_directory()
    {
        string path = Path.Combine(_dir, "ckpt");
        AtomicDirectory.Write(path, w => File.WriteAllText(Path.Combine(w, "old"), "1"));
        AtomicDirectory.Write(path, w => File.WriteAllText(Path.Combine(w, "new"), "2"));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName));
        Assert.Equal(["ckpt"], Entries());
    }

    [Fact]
    public void Files_and_folders_written_inside_a_folder_being_written_go_in_place()
    {
        string path = Path.Combine(_dir, "outer");
        var operations = new List<FileOperation>();
        FileOperations.Observer = (operation, _) => operations.Add(operation);
        try
        {
            AtomicDirectory.Write(path, working =>
            {
                AtomicFile.WriteAllText(Path.Combine(working, "state.bin"), "s");
                AtomicDirectory.Write(Path.Combine(working, "generator"), inner => AtomicFile.WriteAllText(Path.Combine(inner, "policy.npz"), "p"));
                Assert.Equal(["generator", "state.bin"], Directory.EnumerateFileSystemEntries(working).Select(Path.GetFileName).Order());
            });
        }
        finally
        {
            FileOperations.Observer = null;
        }
        Assert.Equal("p", File.ReadAllText(Path.Combine(path, "generator", "policy.npz")));
        // One publish: the nested writes only create.
        Assert.Equal(1, operations.Count(o => o == FileOperation.Rename));
    }

    [Fact]
    public void Delete_moves_the_directory_out_of_the_listing_before_removing_it()
    {
        string path = Path.Combine(_dir, "checkpoint_000002");
        AtomicDirectory.Write(path, w =>
        {
            for (int i = 0; i < 5; i++) File.WriteAllText(Path.Combine(w, $"f{i}"), "x");
        });
        var listingAtRemoval = new List<string[]>();
        FileOperations.Observer = (operation, _) =>
        {
            if (operation == FileOperation.Delete) listingAtRemoval.Add(Directory.EnumerateDirectories(_dir, "checkpoint_*").ToArray());
        };
        try
        {
            Assert.True(AtomicDirectory.Delete(path));
        }
        finally
        {
            FileOperations.Observer = null;
        }
        Assert.Single(listingAtRemoval);
        Assert.Empty(listingAtRemoval[0]);
        Assert.Empty(Entries());
        Assert.False(AtomicDirectory.Delete(path));
    }

    [Fact]
    public void A_destination_that_is_a_file_is_refused()
    {
        string path = Path.Combine(_dir, "ckpt");
        File.WriteAllText(path, "file");
        var e = Assert.Throws<StorageException>(() => AtomicDirectory.Write(path, _ => { }));
        Assert.Equal($"{path}: is a file; give a folder name", e.Message);
    }
}
