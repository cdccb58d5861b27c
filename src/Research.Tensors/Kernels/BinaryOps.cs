using System.Runtime.Intrinsics;

namespace Research.Tensors.Kernels;

/// <summary>An elementwise binary function with a scalar and a vector form, inlined into the broadcasting loop.</summary>
internal interface IBinaryOp
{
    static abstract float Apply(float a, float b);
    static abstract Vector256<float> Apply(Vector256<float> a, Vector256<float> b);
}

internal readonly struct AddOp : IBinaryOp
{
    public static float Apply(float a, float b) => a + b;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a + b;
}

internal readonly struct SubOp : IBinaryOp
{
    public static float Apply(float a, float b) => a - b;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a - b;
}

internal readonly struct MulOp : IBinaryOp
{
    public static float Apply(float a, float b) => a * b;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a * b;
}

internal readonly struct DivOp : IBinaryOp
{
    public static float Apply(float a, float b) => a / b;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a / b;
}

internal readonly struct MinOp : IBinaryOp
{
    public static float Apply(float a, float b) => MathF.Min(a, b);
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
}

internal readonly struct MaxOp : IBinaryOp
{
    public static float Apply(float a, float b) => MathF.Max(a, b);
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
}

/// <summary>Copies the second operand (the first is ignored): strided copies and broadcasts.</summary>
internal readonly struct SecondOp : IBinaryOp
{
    public static float Apply(float a, float b) => b;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => b;
}

internal readonly struct GreaterOp : IBinaryOp
{
    public static float Apply(float a, float b) => a > b ? 1f : 0f;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b) & Vector256<float>.One;
}

internal readonly struct LessOp : IBinaryOp
{
    public static float Apply(float a, float b) => a < b ? 1f : 0f;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b) & Vector256<float>.One;
}

internal readonly struct GreaterOrEqualOp : IBinaryOp
{
    public static float Apply(float a, float b) => a >= b ? 1f : 0f;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b) & Vector256<float>.One;
}

internal readonly struct LessOrEqualOp : IBinaryOp
{
    public static float Apply(float a, float b) => a <= b ? 1f : 0f;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b) & Vector256<float>.One;
}

internal readonly struct EqualOp : IBinaryOp
{
    public static float Apply(float a, float b) => a == b ? 1f : 0f;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b) & Vector256<float>.One;
}

/// <summary>1 where the second operand is non-zero (turns any condition tensor into a 0/1 mask).</summary>
internal readonly struct NotEqualZeroOp : IBinaryOp
{
    public static float Apply(float a, float b) => b != 0 ? 1f : 0f;
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => ~Vector256.Equals(b, Vector256<float>.Zero) & Vector256<float>.One;
}
