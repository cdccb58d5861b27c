using System.Globalization;
using System.Text;
using Research.Tensors.Autograd;
using Research.Tensors.Kernels;
using Research.Tensors.Memory;

namespace Research.Tensors;

/// <summary>
/// A float32 n-dimensional array with shape and strides over shared storage, recording operations for
/// reverse-mode differentiation when <see cref="RequiresGrad"/> is set.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>The largest number of dimensions a tensor may have.</summary>
    public const int MaxRank = 8;

    internal float[] Storage = [];
    internal int Offset;
    internal Dims ShapeDims;
    internal Dims StrideDims;
    internal int RankValue;
    internal int CountValue;
    internal bool OwnsStorage;
    internal bool ScopedFlag;
    internal bool LeafRequiresGrad;
    internal GradNode? GradFn;
    internal Tensor? GradAccumulator;
    internal int VisitMark;

    internal Tensor()
    {
    }

    /// <summary>Number of dimensions.</summary>
    public int Rank => RankValue;

    /// <summary>Size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => ((ReadOnlySpan<int>)ShapeDims)[..RankValue];

    /// <summary>Elements to skip in storage per step along each dimension.</summary>
    public ReadOnlySpan<int> Strides => ((ReadOnlySpan<int>)StrideDims)[..RankValue];

    /// <summary>Total number of elements.</summary>
    public int Count => CountValue;

    /// <summary>The gradient accumulated by <see cref="Backward"/> (leaves only).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True when the tensor belongs to a <see cref="TensorScope"/> and will be recycled when it ends.</summary>
    public bool IsScoped => ScopedFlag;

    /// <summary>True for tensors not produced by a recorded operation.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Whether gradients flow to (leaf) or through (result) this tensor. Settable on leaves only.</summary>
    public bool RequiresGrad
    {
        get => LeafRequiresGrad || GradFn is not null;
        set
        {
            if (GradFn is not null)
                throw new InvalidOperationException("RequiresGrad can only be changed on leaf tensors; use Detach() to get a leaf from a result.");
            LeafRequiresGrad = value;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => ShapeDims[NormalizeDim(dim)];

    /// <summary>True when the elements are laid out in row-major order without gaps.</summary>
    public bool IsContiguous
    {
        get
        {
            int expected = 1;
            for (int d = RankValue - 1; d >= 0; d--)
            {
                if (ShapeDims[d] != 1 && StrideDims[d] != expected) return false;
                expected *= ShapeDims[d];
            }
            return true;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (for fluent construction).</summary>
    public Tensor SetRequiresGrad(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>The elements in row-major order; the tensor must be contiguous. Writes bypass autograd.</summary>
    public Span<float> AsSpan()
    {
        if (!IsContiguous)
            throw new InvalidOperationException($"AsSpan needs a contiguous tensor, but shape {FormatShape(Shape)} has strides {FormatShape(Strides)}; call Contiguous() first.");
        return Storage.AsSpan(Offset, CountValue);
    }

    /// <summary>The single element of a one-element tensor.</summary>
    public float Item()
    {
        if (CountValue != 1) throw new InvalidOperationException($"Item() needs a one-element tensor, but the shape is {FormatShape(Shape)}.");
        return Storage[Offset];
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension, negatives count from the end).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params ReadOnlySpan<int> index]
    {
        get => Storage[ElementOffset(index)];
        set => Storage[ElementOffset(index)] = value;
    }

    /// <summary>Copies the elements, in row-major order, into a new array.</summary>
    public float[] ToArray()
    {
        var result = new float[CountValue];
        CopyTo(result);
        return result;
    }

    /// <summary>Copies the elements, in row-major order, into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length < CountValue)
            throw new ArgumentException($"Destination holds {destination.Length} elements but the tensor has {CountValue}.", nameof(destination));
        if (IsContiguous)
        {
            Storage.AsSpan(Offset, CountValue).CopyTo(destination);
            return;
        }
        StridedCopy.ToSpan(this, destination[..CountValue]);
    }

    /// <summary>Overwrites the elements with <paramref name="source"/> (row-major). Bypasses autograd: use it to load inputs into a reused tensor.</summary>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != CountValue)
            throw new ArgumentException($"Source holds {source.Length} elements but the tensor of shape {FormatShape(Shape)} has {CountValue}.", nameof(source));
        if (IsContiguous) source.CopyTo(Storage.AsSpan(Offset, CountValue));
        else StridedCopy.FromSpan(source, this);
    }

    /// <summary>Sets every element to <paramref name="value"/>. Bypasses autograd.</summary>
    public void Fill(float value)
    {
        if (IsContiguous) Storage.AsSpan(Offset, CountValue).Fill(value);
        else Elementwise.Fill(this, value);
    }

    /// <summary>Shape, and the values when there are few, e.g. <c>Tensor[2, 3] [1, 2, 3, 4, 5, 6]</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Tensor").Append(FormatShape(Shape));
        if (CountValue <= 32)
        {
            text.Append(' ').Append('[');
            var values = ToArray();
            for (int i = 0; i < values.Length; i++)
                text.Append(i == 0 ? "" : ", ").Append(values[i].ToString("G6", CultureInfo.InvariantCulture));
            text.Append(']');
        }
        if (RequiresGrad) text.Append(" requires_grad");
        return text.ToString();
    }

    /// <summary>Formats a shape as <c>[2, 3]</c> for messages.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++) text.Append(i == 0 ? "" : ", ").Append(shape[i]);
        return text.Append(']').ToString();
    }

    internal int NormalizeDim(int dim, int rank = -1)
    {
        if (rank < 0) rank = RankValue;
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of shape {FormatShape(Shape)}.");
        return d;
    }

    private int ElementOffset(ReadOnlySpan<int> index)
    {
        if (index.Length != RankValue)
            throw new ArgumentException($"Got {index.Length} indices for a tensor of shape {FormatShape(Shape)}.", nameof(index));
        int offset = Offset;
        for (int d = 0; d < RankValue; d++)
        {
            int i = index[d] < 0 ? index[d] + ShapeDims[d] : index[d];
            if ((uint)i >= (uint)ShapeDims[d])
                throw new IndexOutOfRangeException($"Index {index[d]} is out of range for dimension {d} of size {ShapeDims[d]} (shape {FormatShape(Shape)}).");
            offset += i * StrideDims[d];
        }
        return offset;
    }

    /// <summary>Clears references so a pooled tensor holds nothing alive.</summary>
    internal void Recycle(TensorPool pool)
    {
        if (OwnsStorage) pool.ReturnStorage(Storage);
        GradFn?.Recycle();
        Storage = [];
        GradFn = null;
        GradAccumulator = null;
        Grad = null;
        OwnsStorage = false;
        ScopedFlag = false;
        LeafRequiresGrad = false;
        RankValue = 0;
        CountValue = 0;
        Offset = 0;
    }
}
