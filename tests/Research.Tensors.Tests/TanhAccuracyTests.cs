namespace Research.Tensors.Tests;

public class TanhAccuracyTests
{
    [Fact]
    public void WithinTwoUlpOfDoublePrecisionEverywhere()
    {
        // A dense grid over both branches (|x| < 0.625 polynomial, else the exponential form) and the saturation
        // point, plus magnitudes from 1e-15 to 1e2 and odd lengths so the vector tail is exercised.
        var values = new List<float>();
        for (int i = 0; i <= 400_000; i++) values.Add(-12f + 24f * i / 400_000);
        var random = new Random(3);
        for (int i = 0; i < 50_001; i++) values.Add((float)Math.Exp(random.NextDouble() * 40 - 35) * (random.Next(2) * 2 - 1));
        var x = values.ToArray();
        var y = Tensor.FromArray(x).Tanh().ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            float exact = (float)Math.Tanh(x[i]);
            long ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(exact) - BitConverter.SingleToInt32Bits(y[i]));
            Assert.True(ulps <= 2, $"tanh({x[i]:R}) = {y[i]:R}, exact {exact:R} ({ulps} ulp)");
        }
    }

    [Fact]
    public void SpecialValues()
    {
        var y = Tensor.FromArray([0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e30f, -1e-40f]).Tanh().ToArray();
        Assert.Equal(0, BitConverter.SingleToInt32Bits(y[0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[1]));
        Assert.Equal(1f, y[2]);
        Assert.Equal(-1f, y[3]);
        Assert.True(float.IsNaN(y[4]));
        Assert.Equal(1f, y[5]);
        Assert.Equal(-1e-40f, y[6]);
    }

    [Fact]
    public void ResultDoesNotDependOnPositionInTheTensor()
    {
        var x = Tensor.Randn(new Generator(9), 19).ToArray();
        var whole = Tensor.FromArray(x).Tanh().ToArray();
        for (int i = 0; i < x.Length; i++) Assert.Equal(whole[i], Tensor.FromArray([x[i]]).Tanh().Item());
    }
}
