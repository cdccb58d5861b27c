namespace Research.Plugins.MuJoCo.Tests;

/// <summary>The NumPy reductions of Gymnasium's rewards against values NumPy computed (tools/mujoco/make_numpy_arithmetic_golden.py).</summary>
public sealed class NumpyArithmeticTests
{
    [Fact]
    public void Sums_are_NumPy_s_pairwise_sums_in_float32_and_float64()
    {
        using var golden = MuJoCoEnvs.Golden("numpy_arithmetic.json");
        int checkedCount = 0;
        foreach (var record in golden.RootElement.GetProperty("sums").EnumerateArray())
        {
            var values = record.GetProperty("values").Doubles();
            string what = $"{record.GetProperty("dtype").GetString()} of {values.Length}";
            if (record.GetProperty("dtype").GetString() == "float32")
            {
                var single = values.Select(v => (float)v).ToArray();
                MuJoCoEnvs.Same(record.GetProperty("sum").GetDouble(), NumpyArithmetic.Sum<float>(single), $"sum {what}");
                MuJoCoEnvs.Same(record.GetProperty("sum_of_squares").GetDouble(), NumpyArithmetic.SumOfSquares<float>(single), $"sum of squares {what}");
            }
            else
            {
                MuJoCoEnvs.Same(record.GetProperty("sum").GetDouble(), NumpyArithmetic.Sum<double>(values), $"sum {what}");
                MuJoCoEnvs.Same(record.GetProperty("sum_of_squares").GetDouble(), NumpyArithmetic.SumOfSquares<double>(values), $"sum of squares {what}");
                MuJoCoEnvs.Same(record.GetProperty("clipped_sum_of_squares").GetDouble(), NumpyArithmetic.SumOfClippedSquares(values, -1, 1), $"clipped {what}");
            }
            checkedCount++;
        }
        Assert.True(checkedCount > 40);
    }

    [Fact]
    public void Norms_of_short_vectors_are_NumPy_s_on_OpenBLAS()
    {
        using var golden = MuJoCoEnvs.Golden("numpy_arithmetic.json");
        foreach (var record in golden.RootElement.GetProperty("norms").EnumerateArray())
        {
            var values = record.GetProperty("values").Doubles();
            MuJoCoEnvs.Same(record.GetProperty("norm").GetDouble(), NumpyArithmetic.Norm(values), $"norm of {string.Join(", ", values)}");
        }
    }

    [Fact]
    public void Squares_by_pow_are_NumPy_s_scalar_power()
    {
        using var golden = MuJoCoEnvs.Golden("numpy_arithmetic.json");
        foreach (var record in golden.RootElement.GetProperty("powers").EnumerateArray())
        {
            double x = record.GetProperty("x").GetDouble();
            MuJoCoEnvs.Same(record.GetProperty("square").GetDouble(), Math.Pow(x, 2), $"{x:R} ** 2");
        }
    }
}
