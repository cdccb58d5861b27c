using Research.Tensors.Io;

namespace Research.Tensors.Tests.Io;

public class NpyReadTests
{
    public static TheoryData<string> FixtureFiles => new(NpyFixtures.Files.Select(f => f.GetProperty("file").GetString()!));

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void Reads_every_numpy_fixture(string file)
    {
        var array = Npy.Read(NpyFixtures.PathOf(file));
        NpyFixtures.AssertMatches(NpyFixtures.File1(file), array);
    }

    [Fact]
    public void Fixtures_cover_every_dtype_order_and_version()
    {
        var files = NpyFixtures.Files.ToArray();
        Assert.Equal(Enum.GetValues<NpyDType>().Length,
            files.Select(f => { NpyDTypes.TryParseDescr(f.GetProperty("descr").GetString()!, out var d, out _); return d; }).Distinct().Count());
        Assert.Contains(files, f => f.GetProperty("fortran_order").GetBoolean());
        Assert.Equal([1, 2, 3], files.Select(f => f.GetProperty("version").GetInt32()).Distinct().Order());
        Assert.Contains(files, f => f.GetProperty("descr").GetString()!.StartsWith('>'));
    }

    /// <summary>Our writer reproduces NumPy's files byte for byte (C-order, little-endian fixtures).</summary>
    public static TheoryData<string> WritableFixtureFiles => new(NpyFixtures.Files
        .Where(f => !f.GetProperty("fortran_order").GetBoolean() && !f.GetProperty("descr").GetString()!.StartsWith('>'))
        .Select(f => f.GetProperty("file").GetString()!));

    [Theory]
    [MemberData(nameof(WritableFixtureFiles))]
    public void Writer_matches_numpy_bytes(string file)
    {
        var expected = NpyFixtures.File1(file);
        byte[] original = File.ReadAllBytes(NpyFixtures.PathOf(file));
        var stream = new MemoryStream();
        Npy.Write(stream, Npy.Read(NpyFixtures.PathOf(file)), expected.GetProperty("version").GetInt32());
        Assert.Equal(original, stream.ToArray());
    }
}
