using Research.Tensors.Memory;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>A tensor with uninitialised contents (inside a scope its storage is recycled memory).</summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => Allocate(shape, zero: false, persistent: false);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Allocate(shape, zero: true, persistent: false);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(1f, shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape, zero: false, persistent: false);
        t.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(float value) => Full(value, ReadOnlySpan<int>.Empty);

    /// <summary>Zeros with the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape);

    /// <summary>Ones with the shape of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like.Shape);

    /// <summary>0, 1, …, <paramref name="end"/> − 1.</summary>
    public static Tensor Arange(int end) => Arange(0, end, 1);

    /// <summary><paramref name="start"/>, start + step, … up to but excluding <paramref name="end"/>.</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step)) throw new ArgumentOutOfRangeException(nameof(step), step, "Arange step must be non-zero.");
        int count = Math.Max(0, (int)Math.Ceiling((end - start) / (double)step));
        var t = Allocate([count], zero: false, persistent: false);
        var span = t.AsSpan();
        for (int i = 0; i < count; i++) span[i] = (float)(start + i * (double)step);
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape, zero: false, persistent: false);
        if (values.Length != t.CountValue)
            throw new ArgumentException($"Got {values.Length} values for shape {FormatShape(shape)}, which holds {t.CountValue}.", nameof(values));
        values.CopyTo(t.AsSpan());
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/>; a 1-D tensor when no shape is given.</summary>
    public static Tensor FromArray(float[] values, params ReadOnlySpan<int> shape) =>
        shape.IsEmpty ? FromSpan(values, values.Length) : FromSpan(values, shape);

    /// <summary>Standard normal samples drawn from <paramref name="generator"/>.</summary>
    public static Tensor Randn(Generator generator, params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        generator.FillNormal(t.AsSpan(), 0f, 1f);
        return t;
    }

    /// <summary>Uniform samples in [0, 1) drawn from <paramref name="generator"/>.</summary>
    public static Tensor Rand(Generator generator, params ReadOnlySpan<int> shape) => Uniform(generator, 0f, 1f, shape);

    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(Generator generator, float low, float high, params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        generator.FillUniform(t.AsSpan(), low, high);
        return t;
    }

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static Tensor Normal(Generator generator, float mean, float std, params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        generator.FillNormal(t.AsSpan(), mean, std);
        return t;
    }

    /// <summary>A zero tensor that never belongs to a scope (parameters, gradients, optimizer state).</summary>
    public static Tensor PersistentZeros(params ReadOnlySpan<int> shape) => Allocate(shape, zero: true, persistent: true);

    internal static Tensor Allocate(ReadOnlySpan<int> shape, bool zero, bool persistent)
    {
        if (shape.Length > MaxRank) throw new ArgumentException($"Shape {FormatShape(shape)} has more than {MaxRank} dimensions.", nameof(shape));
        long count = 1;
        foreach (var size in shape)
        {
            if (size < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative size.", nameof(shape));
            count *= size;
        }
        if (count > Array.MaxLength) throw new ArgumentException($"Shape {FormatShape(shape)} holds {count} elements, more than an array can.", nameof(shape));

        var frame = persistent ? null : ScopeFrame.Innermost;
        Tensor t;
        if (frame is null)
        {
            t = new Tensor { Storage = count == 0 ? [] : new float[count] };
        }
        else
        {
            var pool = TensorPool.Current;
            t = pool.RentTensor();
            t.Storage = pool.RentStorage((int)count);
            if (zero) t.Storage.AsSpan().Clear();
            t.ScopedFlag = true;
            frame.Track(t);
        }
        t.OwnsStorage = true;
        t.Offset = 0;
        t.SetContiguousGeometry(shape);
        return t;
    }

    /// <summary>A new tensor object over <paramref name="source"/>'s storage with the given geometry.</summary>
    internal static Tensor View(Tensor source, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int offset)
    {
        var frame = ScopeFrame.Innermost;
        Tensor t;
        if (frame is null) t = new Tensor();
        else
        {
            t = TensorPool.Current.RentTensor();
            t.ScopedFlag = true;
            frame.Track(t);
        }
        t.Storage = source.Storage;
        t.OwnsStorage = false;
        t.Offset = offset;
        t.RankValue = shape.Length;
        int count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            t.ShapeDims[d] = shape[d];
            t.StrideDims[d] = strides[d];
            count *= shape[d];
        }
        t.CountValue = count;
        return t;
    }

    private void SetContiguousGeometry(ReadOnlySpan<int> shape)
    {
        RankValue = shape.Length;
        int stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            ShapeDims[d] = shape[d];
            StrideDims[d] = stride;
            stride *= shape[d];
        }
        CountValue = stride;
    }
}
