using System.Runtime.Intrinsics;

namespace Research.Tensors.Nn;

/// <summary>Weight initialisers with PyTorch's <c>torch.nn.init</c> formulas; they overwrite a tensor in place.</summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity (PyTorch's <c>calculate_gain</c>).</summary>
    public static float Gain(Activation activation, float negativeSlope = 0.01f) => activation switch
    {
        Activation.Tanh => 5f / 3f,
        Activation.Relu => MathF.Sqrt(2f),
        Activation.LeakyRelu => MathF.Sqrt(2f / (1f + negativeSlope * negativeSlope)),
        _ => 1f,
    };

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, float value) => tensor.Fill(value);

    /// <summary>Every element set to 0.</summary>
    public static void Zeros(Tensor tensor) => tensor.Fill(0f);

    /// <summary>Uniform in [low, high).</summary>
    public static void Uniform(Tensor tensor, Generator generator, float low, float high) =>
        Fill(tensor, span => generator.FillUniform(span, low, high));

    /// <summary>Normal with the given mean and standard deviation.</summary>
    public static void Normal(Tensor tensor, Generator generator, float mean, float std) =>
        Fill(tensor, span => generator.FillNormal(span, mean, std));

    /// <summary>Uniform ±gain·√(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor tensor, Generator generator, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(tensor);
        float bound = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        Uniform(tensor, generator, -bound, bound);
    }

    /// <summary>Normal with std gain·√(2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor tensor, Generator generator, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(tensor);
        Normal(tensor, generator, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)));
    }

    /// <summary>Uniform ±√3·gain/√fan with gain √(2 / (1 + a²)) (leaky-ReLU), fan_in unless <paramref name="fanOut"/>.</summary>
    public static void KaimingUniform(Tensor tensor, Generator generator, float a = 0f, bool fanOut = false)
    {
        float std = KaimingStd(tensor, a, fanOut);
        Uniform(tensor, generator, -MathF.Sqrt(3f) * std, MathF.Sqrt(3f) * std);
    }

    /// <summary>Normal with std gain/√fan, gain √(2 / (1 + a²)).</summary>
    public static void KaimingNormal(Tensor tensor, Generator generator, float a = 0f, bool fanOut = false) =>
        Normal(tensor, generator, 0f, KaimingStd(tensor, a, fanOut));

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>, as <c>torch.nn.init.orthogonal_</c>: the QR factorisation
    /// of a standard normal [rows, numel/rows] matrix (transposed when wide) with Q's columns multiplied by sign(diag R).
    /// </summary>
    public static void Orthogonal(Tensor tensor, Generator generator, float gain = 1f)
    {
        if (tensor.Rank < 2) throw new ArgumentException($"Orthogonal init needs at least 2 dimensions, got {Tensor.FormatShape(tensor.Shape)}.", nameof(tensor));
        int rows = tensor.Shape[0], cols = tensor.Count / rows;
        var normal = new double[rows * cols];
        for (int i = 0; i < normal.Length; i++) normal[i] = generator.NextNormal();
        var result = Orthogonalize(normal, rows, cols, gain);
        tensor.CopyFrom(result);
    }

    /// <summary>The orthogonal factor of a row-major [rows, cols] matrix, sign-corrected and scaled (exposed for golden tests).</summary>
    public static float[] Orthogonalize(ReadOnlySpan<double> matrix, int rows, int cols, float gain)
    {
        bool wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols;
        var a = new double[m * n];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            a[wide ? j * n + i : i * n + j] = matrix[i * cols + j];
        var q = HouseholderQ(a, m, n, out var diagonalSigns);
        var result = new float[rows * cols];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double v = q[i * n + j] * diagonalSigns[j] * gain;
            result[wide ? j * cols + i : i * cols + j] = (float)v;
        }
        return result;
    }

    /// <summary>Reduced Q [m, n] (m ≥ n) of A = QR by Householder reflections, and the signs of R's diagonal.</summary>
    /// <remarks>
    /// Works on columns stored contiguously, so every dot product and update streams through memory (row-major
    /// columns strode by n doubles: a 3136 × 512 CNN layer took over a minute); each sum still runs over i in order,
    /// so the result is the same to the bit.
    /// </remarks>
    private static double[] HouseholderQ(double[] a, int m, int n, out double[] signs)
    {
        var columns = new double[(long)m * n];
        for (int i = 0; i < m; i++)
        for (int c = 0; c < n; c++)
            columns[(long)c * m + i] = a[i * n + c];
        var vectors = new double[n][];
        signs = new double[n];
        for (int j = 0; j < n; j++)
        {
            var column = columns.AsSpan(j * m + j, m - j);
            double norm = 0;
            foreach (var x in column) norm += x * x;
            norm = Math.Sqrt(norm);
            double alpha = column[0] > 0 ? -norm : norm;
            var v = column.ToArray();
            v[0] -= alpha;
            double vNorm = 0;
            foreach (var x in v) vNorm += x * x;
            vNorm = Math.Sqrt(vNorm);
            if (vNorm > 0) for (int i = 0; i < v.Length; i++) v[i] /= vNorm;
            vectors[j] = v;
            // A[j:, j:] -= 2 v (vᵀ A[j:, j:])
            for (int c = j; c < n; c++) Reflect(v, columns.AsSpan(c * m + j, m - j));
            signs[j] = Math.Sign(columns[j * m + j]);
        }
        var q = new double[(long)m * n];
        for (int j = 0; j < n; j++) q[j * m + j] = 1;
        for (int j = n - 1; j >= 0; j--)
            for (int c = 0; c < n; c++) Reflect(vectors[j], q.AsSpan(c * m + j, m - j));
        var rows = new double[m * n];
        for (int c = 0; c < n; c++)
        for (int i = 0; i < m; i++)
            rows[i * n + c] = q[(long)c * m + i];
        return rows;
    }

    // x -= 2 (v·x) v, the sum taken in order; the update is elementwise, so vectors give the scalar bits.
    private static void Reflect(double[] v, Span<double> x)
    {
        double dot = 0;
        for (int i = 0; i < v.Length; i++) dot += v[i] * x[i];
        double scale = 2 * dot;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; k <= v.Length - Vector256<double>.Count; k += Vector256<double>.Count)
            {
                var xs = Vector256.Create<double>(x.Slice(k, Vector256<double>.Count));
                (xs - s * Vector256.Create<double>(v.AsSpan(k, Vector256<double>.Count))).CopyTo(x.Slice(k));
            }
        }
        for (; k < v.Length; k++) x[k] -= scale * v[k];
    }

    private static float KaimingStd(Tensor tensor, float a, bool fanOut)
    {
        var (fanInSize, fanOutSize) = Fans(tensor);
        float gain = MathF.Sqrt(2f / (1f + a * a));
        return gain / MathF.Sqrt(fanOut ? fanOutSize : fanInSize);
    }

    /// <summary>fan_in = size(1)·receptive field, fan_out = size(0)·receptive field (PyTorch's definition).</summary>
    private static (int FanIn, int FanOut) Fans(Tensor tensor)
    {
        if (tensor.Rank < 2) throw new ArgumentException($"Fan-based init needs at least 2 dimensions, got {Tensor.FormatShape(tensor.Shape)}.", nameof(tensor));
        int receptive = tensor.Count / (tensor.Shape[0] * tensor.Shape[1]);
        return (tensor.Shape[1] * receptive, tensor.Shape[0] * receptive);
    }

    private static void Fill(Tensor tensor, SpanFiller fill)
    {
        if (tensor.IsContiguous)
        {
            fill(tensor.AsSpan());
            return;
        }
        var values = new float[tensor.Count];
        fill(values);
        tensor.CopyFrom(values);
    }

    private delegate void SpanFiller(Span<float> destination);
}
