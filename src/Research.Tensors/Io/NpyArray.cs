using System.Numerics;

namespace Research.Tensors.Io;

/// <summary>An n-dimensional array as a .npy file holds it: a dtype, a shape and the elements in C (row-major) order.</summary>
public sealed class NpyArray
{
    private readonly int[] _shape;

    /// <summary>
    /// Wraps <paramref name="data"/> (a <c>float[]</c>, <c>double[]</c>, <c>sbyte[]</c>, <c>short[]</c>, <c>int[]</c>,
    /// <c>long[]</c>, <c>byte[]</c>, <c>ushort[]</c>, <c>uint[]</c> or <c>bool[]</c>) with <paramref name="shape"/>;
    /// an empty shape is a scalar (one element). The array is not copied.
    /// </summary>
    public NpyArray(Array data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var elementType = data.GetType().GetElementType()!;
        if (data.Rank != 1 || NpyDTypes.FromElementType(elementType) is not { } dtype)
            throw new ArgumentException($"NpyArray: data of type {data.GetType().Name} is not a one-dimensional array of a supported element type.", nameof(data));
        long count = ElementCount(shape);
        if (count != data.Length)
            throw new ArgumentException($"NpyArray: shape {FormatShape(shape)} needs {count} elements but the data has {data.Length}.", nameof(shape));
        DType = dtype;
        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>The element type.</summary>
    public NpyDType DType { get; }

    /// <summary>The dimensions (empty for a scalar).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The elements in C order, typed by <see cref="DType"/> (for example <c>float[]</c> for Float32).</summary>
    public Array Data { get; }

    /// <summary>The number of elements.</summary>
    public int Count => Data.Length;

    /// <summary>The data as <typeparamref name="T"/>[] (no copy); throws if the dtype's element type is not <typeparamref name="T"/>.</summary>
    public T[] Get<T>() => Data.GetType() == typeof(T[])
        ? (T[])Data
        : throw new InvalidCastException($"NpyArray: data is {DType} ({Data.GetType().Name}), not {typeof(T).Name}[].");

    /// <summary>The elements as float32: the data itself when already Float32, otherwise a converted copy (bool → 0/1).</summary>
    public float[] AsFloat32() => ConvertTo<float>();

    /// <summary>The elements as float64: the data itself when already Float64, otherwise a converted copy (bool → 0/1).</summary>
    public double[] AsFloat64() => ConvertTo<double>();

    /// <summary>
    /// The elements as int64: the data itself when already Int64, otherwise a converted copy (bool → 0/1).
    /// Floating-point elements must be whole numbers within range, else this throws naming the first offending element.
    /// </summary>
    public long[] AsInt64()
    {
        static long[] FromFloating(ReadOnlySpan<double> values)
        {
            var result = new long[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                // 2^63 is the first double above long.MaxValue.
                if (Math.Floor(v) != v || v < long.MinValue || v >= 9223372036854775808.0)
                    throw new InvalidCastException($"NpyArray: element {i} = {v} is not a whole number that fits in int64.");
                result[i] = (long)v;
            }
            return result;
        }

        return DType switch
        {
            NpyDType.Float32 => FromFloating(Array.ConvertAll((float[])Data, v => (double)v)),
            NpyDType.Float64 => FromFloating((double[])Data),
            _ => ConvertTo<long>(),
        };
    }

    /// <summary>Formats a shape as NumPy prints it: <c>()</c>, <c>(3,)</c>, <c>(2, 3)</c>.</summary>
    public static string FormatShape(IReadOnlyList<int> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => $"({string.Join(", ", shape)})",
    };

    /// <summary>The product of the dimensions; throws for a negative dimension.</summary>
    internal static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"NpyArray: shape {FormatShape(shape)} has a negative dimension.");
            count = checked(count * d);
        }
        return count;
    }

    // Switch on the dtype, not on array type patterns: the runtime lets byte[] pass as sbyte[] (and ushort[] as short[]).
    private TDst[] ConvertTo<TDst>() where TDst : INumberBase<TDst> => Data.GetType() == typeof(TDst[]) ? (TDst[])Data : DType switch
    {
        NpyDType.Float32 => Cast<float, TDst>((float[])Data),
        NpyDType.Float64 => Cast<double, TDst>((double[])Data),
        NpyDType.Int8 => Cast<sbyte, TDst>((sbyte[])Data),
        NpyDType.Int16 => Cast<short, TDst>((short[])Data),
        NpyDType.Int32 => Cast<int, TDst>((int[])Data),
        NpyDType.Int64 => Cast<long, TDst>((long[])Data),
        NpyDType.UInt8 => Cast<byte, TDst>((byte[])Data),
        NpyDType.UInt16 => Cast<ushort, TDst>((ushort[])Data),
        NpyDType.UInt32 => Cast<uint, TDst>((uint[])Data),
        NpyDType.Bool => Array.ConvertAll((bool[])Data, v => v ? TDst.One : TDst.Zero),
        _ => throw new InvalidOperationException($"NpyArray: unexpected dtype {DType}."),
    };

    private static TDst[] Cast<TSrc, TDst>(TSrc[] source)
        where TSrc : INumberBase<TSrc>
        where TDst : INumberBase<TDst>
    {
        var result = new TDst[source.Length];
        for (int i = 0; i < source.Length; i++) result[i] = TDst.CreateTruncating(source[i]);
        return result;
    }
}
