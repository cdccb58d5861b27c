using System.IO.Compression;
using System.Text;
using Research.Tensors.Io;

namespace Research.Tensors.Tests.Io;

public sealed class NpyErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Fixture(string file) => File.ReadAllBytes(NpyFixtures.PathOf(file));

    private static NpyFormatException ReadFails(string path) => Assert.Throws<NpyFormatException>(() => Npy.Read(path));

    /// <summary>A version-1 file whose header text is <paramref name="header"/>, padded as NumPy pads it.</summary>
    private static byte[] WithHeader(string header, int dataBytes = 0)
    {
        var text = Encoding.Latin1.GetBytes(header);
        int padded = (10 + text.Length + 1 + 63) / 64 * 64 - 10;
        var bytes = new byte[10 + padded + dataBytes];
        Encoding.Latin1.GetBytes("\x93NUMPY").CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[8] = (byte)(padded & 0xFF);
        bytes[9] = (byte)(padded >> 8);
        text.CopyTo(bytes, 10);
        bytes.AsSpan(10 + text.Length, padded - text.Length - 1).Fill((byte)' ');
        bytes[10 + padded - 1] = (byte)'\n';
        return bytes;
    }

    [Fact]
    public void Truncated_data_names_the_file_and_the_byte_counts()
    {
        byte[] full = Fixture("f8_c.npy"); // 2x3 float64: 48 data bytes after a 128-byte header
        string path = WriteBytes("short.npy", full[..^8]);
        var e = ReadFails(path);
        Assert.Equal($"{path}: data ends after 40 of 48 bytes", e.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        string path = WriteBytes("h.npy", Fixture("f8_c.npy")[..50]);
        Assert.Contains("header ends after 40 of 118 bytes", ReadFails(path).Message);
        path = WriteBytes("m.npy", Fixture("f8_c.npy")[..7]);
        Assert.Contains("file ends after 7 of 8 bytes", ReadFails(path).Message);
    }

    [Fact]
    public void Bad_magic_and_empty_files_are_reported()
    {
        Assert.Contains("bad magic: not a .npy file (starts with 504B0304", ReadFails(WriteBytes("z.npy", Fixture("stored.npz"))).Message);
        Assert.Contains("file is empty", ReadFails(WriteBytes("e.npy", [])).Message);
    }

    [Fact]
    public void Unsupported_version_is_reported()
    {
        byte[] bytes = Fixture("f8_c.npy");
        bytes[6] = 4;
        Assert.Contains("unsupported format version 4.0", ReadFails(WriteBytes("v.npy", bytes)).Message);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'shape': (2,), }", "no 'fortran_order'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,) ", "bad header")]
    [InlineData("['descr']", "header is not a dict")]
    [InlineData("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }", "'fortran_order' is not True or False")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 'a'), }", "'shape' is not a tuple of integers")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1, }", "unexpected key 'extra'")]
    public void Bad_headers_are_reported(string header, string reason)
    {
        Assert.Contains(reason, ReadFails(WriteBytes("b.npy", WithHeader(header, 16))).Message);
    }

    [Theory]
    [InlineData("<c16")]
    [InlineData("<f2")]
    [InlineData("<u8")]
    [InlineData("<U5")]
    [InlineData("|O")]
    [InlineData("<f4x")]
    public void Unsupported_dtypes_are_reported(string descr)
    {
        var e = ReadFails(WriteBytes("d.npy", WithHeader($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}", 16)));
        Assert.Contains($"unsupported dtype '{descr}'", e.Message);
    }

    [Fact]
    public void Structured_dtypes_are_reported()
    {
        var e = ReadFails(WriteBytes("s.npy", WithHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4)));
        Assert.Contains("structured dtypes are not supported", e.Message);
    }

    [Fact]
    public void Bytes_after_the_data_are_a_size_mismatch()
    {
        byte[] full = Fixture("f8_c.npy");
        var e = ReadFails(WriteBytes("long.npy", [.. full, 0, 0, 0]));
        Assert.Contains("3 unexpected bytes after the data of shape (2, 3)", e.Message);
    }

    [Fact]
    public void Missing_entry_names_file_entry_and_contents()
    {
        string path = NpyFixtures.PathOf("stored.npz");
        var e = Assert.Throws<NpyFormatException>(() => NpzArchive.Read(path)["expert_obs"]);
        Assert.Equal($"{path}: entry 'expert_obs': no such entry (the archive has: obs, actions, dones)", e.Message);
    }

    [Fact]
    public void Not_a_zip_is_reported()
    {
        var e = Assert.Throws<NpyFormatException>(() => NpzArchive.Read(WriteBytes("n.npz", Fixture("f8_c.npy"))));
        Assert.Contains("not a valid .npz (zip) archive", e.Message);
        e = Assert.Throws<NpyFormatException>(() => NpzArchive.Read(WriteBytes("t.npz", Fixture("stored.npz")[..^30])));
        Assert.Contains("not a valid .npz (zip) archive", e.Message);
    }

    [Theory]
    [InlineData("stored.npz")]
    [InlineData("compressed.npz")]
    public void Corrupt_entry_data_names_the_entry(string file)
    {
        byte[] bytes = Fixture(file);
        // The first entry's data starts after its local header (30 bytes + name + extra field); flip a byte inside it.
        int nameLength = BitConverter.ToUInt16(bytes, 26), extraLength = BitConverter.ToUInt16(bytes, 28);
        int dataLength = BitConverter.ToInt32(bytes, 18);
        bytes[30 + nameLength + extraLength + dataLength - 5] ^= 0x5A;
        var e = Assert.Throws<NpyFormatException>(() => NpzArchive.Read(WriteBytes("c.npz", bytes)));
        Assert.StartsWith($"{_dir.File("c.npz")}: entry 'obs': ", e.Message);
    }

    [Fact]
    public void Entries_that_are_not_npy_are_reported()
    {
        string path = _dir.File("o.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("notes.txt").Open()))
            writer.Write("hello");
        var e = Assert.Throws<NpyFormatException>(() => NpzArchive.Read(path));
        Assert.Contains("entry 'notes.txt': is not a .npy array", e.Message);
    }

    [Fact]
    public void Truncated_entry_names_file_entry_and_reason()
    {
        string path = _dir.File("expert.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var stream = zip.CreateEntry("obs.npy").Open())
            stream.Write(Fixture("f8_c.npy")[..^8]);
        var e = Assert.Throws<NpyFormatException>(() => NpzArchive.Read(path));
        Assert.Equal($"{path}: entry 'obs': data ends after 40 of 48 bytes", e.Message);
    }
}
