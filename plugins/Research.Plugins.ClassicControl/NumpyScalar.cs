namespace Research.Plugins.ClassicControl;

/// <summary>Which kind of number a Python expression holds, in NumPy 2's (NEP 50) promotion order.</summary>
internal enum ScalarKind : byte
{
    /// <summary>A Python float or int: "weak", it takes the other operand's precision.</summary>
    Python,

    /// <summary>A <c>numpy.float32</c> scalar.</summary>
    Float32,

    /// <summary>A <c>numpy.float64</c> scalar.</summary>
    Float64,
}

/// <summary>A scalar that computes with NumPy 2's promotion rules (NEP 50), so float32/float64 mixes round where Gymnasium's do.</summary>
/// <remarks>
/// Under NEP 50 a Python number adopts the precision of the NumPy scalar it meets, float32 with float64 gives float64,
/// and comparisons happen in the promoted precision. Float32 results are rounded to float32 after every operation.
/// </remarks>
internal readonly record struct NumpyScalar(double Value, ScalarKind Kind)
{
    public static NumpyScalar Python(double value) => new(value, ScalarKind.Python);

    public static NumpyScalar Float32(float value) => new(value, ScalarKind.Float32);

    public static NumpyScalar operator +(NumpyScalar a, NumpyScalar b) =>
        Promote(a, b) == ScalarKind.Float32 ? Float32((float)a.Value + (float)b.Value) : new(a.Value + b.Value, Promote(a, b));

    public static NumpyScalar operator -(NumpyScalar a, NumpyScalar b) =>
        Promote(a, b) == ScalarKind.Float32 ? Float32((float)a.Value - (float)b.Value) : new(a.Value - b.Value, Promote(a, b));

    public static NumpyScalar operator *(NumpyScalar a, NumpyScalar b) =>
        Promote(a, b) == ScalarKind.Float32 ? Float32((float)a.Value * (float)b.Value) : new(a.Value * b.Value, Promote(a, b));

    public static bool operator >(NumpyScalar a, NumpyScalar b) =>
        Promote(a, b) == ScalarKind.Float32 ? (float)a.Value > (float)b.Value : a.Value > b.Value;

    public static bool operator <(NumpyScalar a, NumpyScalar b) =>
        Promote(a, b) == ScalarKind.Float32 ? (float)a.Value < (float)b.Value : a.Value < b.Value;

    public static bool operator >=(NumpyScalar a, NumpyScalar b) => !(a < b) && !double.IsNaN(a.Value) && !double.IsNaN(b.Value);

    public static bool operator <=(NumpyScalar a, NumpyScalar b) => !(a > b) && !double.IsNaN(a.Value) && !double.IsNaN(b.Value);

    /// <summary>Equality in the promoted precision (Python's <c>==</c> on the two scalars).</summary>
    public bool NumericallyEquals(NumpyScalar other) =>
        Promote(this, other) == ScalarKind.Float32 ? (float)Value == (float)other.Value : Value == other.Value;

    /// <summary>Python's <c>max(a, b)</c>: the first argument unless the second is greater.</summary>
    public static NumpyScalar Max(NumpyScalar a, NumpyScalar b) => b > a ? b : a;

    /// <summary>Python's <c>min(a, b)</c>: the first argument unless the second is smaller.</summary>
    public static NumpyScalar Min(NumpyScalar a, NumpyScalar b) => b < a ? b : a;

    private static ScalarKind Promote(NumpyScalar a, NumpyScalar b) => a.Kind > b.Kind ? a.Kind : b.Kind;
}
