using Research.Tensors.Io;

namespace Research.Tensors.Tests.Io;

public sealed class NpyRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<NpyDType, int[], int> Cases()
    {
        var data = new TheoryData<NpyDType, int[], int>();
        int[][] shapes = [[], [0], [5], [2, 3, 4], [1, 0, 2]];
        foreach (var dtype in Enum.GetValues<NpyDType>())
            foreach (var shape in shapes)
                foreach (int version in new[] { 1, 2, 3 })
                    data.Add(dtype, shape, version);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_dtype_shape_and_version_round_trips(NpyDType dtype, int[] shape, int version)
    {
        var original = MakeArray(dtype, shape);
        string path = _dir.File("a.npy");
        Npy.Write(path, original, version);

        var read = Npy.Read(path);
        Assert.Equal(dtype, read.DType);
        Assert.Equal(shape, read.Shape);
        Assert.Equal(original.Data, read.Data);
        Assert.Equal(version, File.ReadAllBytes(path)[6]);
        long headerBytes = new FileInfo(path).Length - (long)original.Count * NpyDTypes.SizeOf(dtype);
        Assert.Equal(0, headerBytes % 64); // NumPy aligns the data to 64 bytes
    }

    [Fact]
    public void Write_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        string path = _dir.File("x.npy");
        File.WriteAllText(path, "old");
        Npy.Write(path, new NpyArray(new[] { 1.5f, 2.5f }, 2));
        Assert.Equal([1.5f, 2.5f], Npy.Read(path).Get<float>());
        Assert.Equal(["x.npy"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Conversions_change_the_element_type()
    {
        var ints = new NpyArray(new short[] { -3, 0, 7 }, 3);
        Assert.Equal([-3f, 0f, 7f], ints.AsFloat32());
        Assert.Equal([-3.0, 0.0, 7.0], ints.AsFloat64());
        Assert.Equal([-3L, 0L, 7L], ints.AsInt64());

        var bools = new NpyArray(new[] { true, false }, 2);
        Assert.Equal([1L, 0L], bools.AsInt64());
        Assert.Equal([1f, 0f], bools.AsFloat32());

        var floats = new NpyArray(new[] { 2.0, -4.0 }, 2);
        Assert.Equal([2L, -4L], floats.AsInt64());
        Assert.Same(floats.Data, floats.AsFloat64());
        Assert.Equal([2f, -4f], floats.AsFloat32());
    }

    [Fact]
    public void AsInt64_refuses_fractional_floats()
    {
        var e = Assert.Throws<InvalidCastException>(() => new NpyArray(new[] { 1f, 2.5f }, 2).AsInt64());
        Assert.Contains("element 1 = 2.5", e.Message);
    }

    [Fact]
    public void Shape_and_data_size_must_agree()
    {
        var e = Assert.Throws<ArgumentException>(() => new NpyArray(new float[5], 2, 3));
        Assert.Contains("shape (2, 3) needs 6 elements but the data has 5", e.Message);
        Assert.Throws<ArgumentException>(() => new NpyArray(new decimal[1]));
        Assert.Throws<ArgumentException>(() => new NpyArray(new float[0], -1));
    }

    [Fact]
    public void Get_names_the_actual_type()
    {
        var e = Assert.Throws<InvalidCastException>(() => new NpyArray(new int[1]).Get<float>());
        Assert.Contains("Int32", e.Message);
        // The runtime would let byte[] pass as sbyte[]; Get must not.
        Assert.Throws<InvalidCastException>(() => new NpyArray(new byte[] { 255 }, 1).Get<sbyte>());
        Assert.Equal([255L], new NpyArray(new byte[] { 255 }, 1).AsInt64());
    }

    internal static NpyArray MakeArray(NpyDType dtype, int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = Enumerable.Range(0, count).Select(i => (i * 37 % 101) - 50).ToArray();
        Array data = dtype switch
        {
            NpyDType.Float32 => values.Select(v => v * 0.37f).ToArray(),
            NpyDType.Float64 => values.Select(v => v * 0.37).ToArray(),
            NpyDType.Int8 => values.Select(v => (sbyte)v).ToArray(),
            NpyDType.Int16 => values.Select(v => (short)(v * 300)).ToArray(),
            NpyDType.Int32 => values.Select(v => v * 40_000_000).ToArray(),
            NpyDType.Int64 => values.Select(v => v * 1_000_000_000_000L).ToArray(),
            NpyDType.UInt8 => values.Select(v => (byte)(v + 50)).ToArray(),
            NpyDType.UInt16 => values.Select(v => (ushort)((v + 50) * 600)).ToArray(),
            NpyDType.UInt32 => values.Select(v => (uint)(v + 50) * 40_000_000u).ToArray(),
            NpyDType.Bool => values.Select(v => v % 2 == 0).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };
        return new NpyArray(data, shape);
    }
}
