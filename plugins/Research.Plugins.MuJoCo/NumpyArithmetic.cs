using System.Numerics;

namespace Research.Plugins.MuJoCo;

/// <summary>The few NumPy reductions Gymnasium's MuJoCo rewards use, with NumPy's order of operations, so rewards agree bit for bit.</summary>
internal static class NumpyArithmetic
{
    private const int PairwiseBlock = 128;

    /// <summary><c>np.sum</c> of a contiguous array: NumPy's pairwise summation (eight running sums per block of up to 128, halves above).</summary>
    public static T Sum<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = values.Length;
        if (n < 8)
        {
            T sum = T.Zero;
            for (int i = 0; i < n; i++) sum += values[i];
            return sum;
        }
        if (n <= PairwiseBlock)
        {
            T r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3], r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7];
            int i = 8;
            for (; i < n - n % 8; i += 8)
            {
                r0 += values[i];
                r1 += values[i + 1];
                r2 += values[i + 2];
                r3 += values[i + 3];
                r4 += values[i + 4];
                r5 += values[i + 5];
                r6 += values[i + 6];
                r7 += values[i + 7];
            }
            T sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) sum += values[i];
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return Sum(values[..half]) + Sum(values[half..]);
    }

    /// <summary><c>np.sum(np.square(x))</c>: each square rounded to <typeparamref name="T"/>, then the pairwise sum.</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> squares = values.Length <= 512 ? stackalloc T[values.Length] : new T[values.Length];
        for (int i = 0; i < values.Length; i++) squares[i] = values[i] * values[i];
        return Sum<T>(squares);
    }

    /// <summary><c>np.sum(np.square(np.clip(x, low, high)))</c>.</summary>
    public static double SumOfClippedSquares(ReadOnlySpan<double> values, double low, double high)
    {
        Span<double> squares = values.Length <= 512 ? stackalloc double[values.Length] : new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double clipped = Clip(values[i], low, high);
            squares[i] = clipped * clipped;
        }
        return Sum<double>(squares);
    }

    /// <summary><c>np.linalg.norm(x)</c> of a short vector: the square root of <c>x.dot(x)</c>, which OpenBLAS's x86-64 kernels accumulate with fused multiply-adds.</summary>
    public static double Norm(ReadOnlySpan<double> values)
    {
        double sum = values[0] * values[0];
        for (int i = 1; i < values.Length; i++) sum = Math.FusedMultiplyAdd(values[i], values[i], sum);
        return Math.Sqrt(sum);
    }

    /// <summary><c>np.clip</c> of one value (NaN stays NaN).</summary>
    public static double Clip(double value, double low, double high) => value < low ? low : value > high ? high : value;
}
