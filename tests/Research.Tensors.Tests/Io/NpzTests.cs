using System.Buffers.Binary;
using Research.Tensors.Io;

namespace Research.Tensors.Tests.Io;

public sealed class NpzTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("stored.npz", 0)]
    [InlineData("compressed.npz", 8)]
    public void Reads_numpy_archives(string file, int compressType)
    {
        var manifest = NpyFixtures.Archive(file);
        Assert.Equal([compressType], manifest.GetProperty("compress_types").EnumerateArray().Select(e => e.GetInt32()));
        var archive = NpzArchive.Read(NpyFixtures.PathOf(file));
        var entries = manifest.GetProperty("entries").EnumerateObject().ToArray();
        Assert.Equal(entries.Select(e => e.Name), archive.Names);
        foreach (var entry in entries) NpyFixtures.AssertMatches(entry.Value, archive[entry.Name]);
    }

    [Theory]
    [InlineData(NpzCompression.Stored, 0)]
    [InlineData(NpzCompression.Deflated, 8)]
    public void Written_archives_round_trip_with_numpy_compression_methods(NpzCompression compression, int method)
    {
        string path = _dir.File("out.npz");
        var arrays = Enum.GetValues<NpyDType>().ToDictionary(d => d.ToString(), d => NpyRoundTripTests.MakeArray(d, [3, 4]));
        NpzWriter.Write(path, arrays, compression);

        var archive = NpzArchive.Read(path);
        Assert.Equal(arrays.Keys, archive.Names);
        foreach (var (name, array) in arrays)
        {
            Assert.Equal(array.Shape, archive[name].Shape);
            Assert.Equal(array.Data, archive[name].Data);
        }
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes)); // first local file header
        Assert.Equal(method, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void Same_arrays_give_the_same_bytes()
    {
        var arrays = new Dictionary<string, NpyArray> { ["obs"] = new(new[] { 1f, 2f, 3f }, 3) };
        NpzWriter.Write(_dir.File("a.npz"), arrays, NpzCompression.Deflated);
        NpzWriter.Write(_dir.File("b.npz"), arrays, NpzCompression.Deflated);
        Assert.Equal(File.ReadAllBytes(_dir.File("a.npz")), File.ReadAllBytes(_dir.File("b.npz")));
    }

    [Fact]
    public void An_uncommitted_writer_leaves_the_old_file_and_no_temporary_file()
    {
        string path = _dir.File("keep.npz");
        File.WriteAllText(path, "previous");
        using (var writer = new NpzWriter(path))
        {
            writer.Add("x", new NpyArray(new[] { 1.0 }, 1));
        }
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_failed_publish_leaves_no_temporary_file_and_names_the_destination()
    {
        // Issue 13, item 2: the engine's writer dropped its stream before the rename, so a refused rename (the
        // destination is a folder with files: `research predict … -o existing_dir`) left <out>.<pid>.<guid>.tmp behind.
        string path = _dir.File("out.npz");
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, "inside"), "x");
        var e = Assert.ThrowsAny<IOException>(() => NpzWriter.Write(path, [new("x", new NpyArray(new[] { 1.0 }, 1))]));
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void Duplicate_and_empty_names_are_refused()
    {
        using var writer = new NpzWriter(_dir.File("d.npz"));
        writer.Add("x", new NpyArray(new[] { 1.0 }, 1));
        Assert.Contains("entry 'x' is added twice", Assert.Throws<ArgumentException>(() => writer.Add("x", new NpyArray(new[] { 2.0 }, 1))).Message);
        Assert.Throws<ArgumentException>(() => writer.Add("", new NpyArray(new[] { 2.0 }, 1)));
    }
}
