namespace Research.TensorBoard.Tests;

public class HistogramTests
{
    [Fact]
    public void Default_limits_are_TensorFlows()
    {
        var limits = Histograms.DefaultBucketLimits;
        int positive = (limits.Count - 1) / 2;
        Assert.Equal(-double.MaxValue, limits[0]);
        Assert.Equal(0.0, limits[positive]);
        Assert.Equal(double.MaxValue, limits[^1]);
        Assert.Equal(1e-12, limits[positive + 1]);
        Assert.Equal(1e-12 * 1.1, limits[positive + 2]);
        Assert.True(limits[^2] < 1e20 && limits[^2] * 1.1 >= 1e20);
        for (int i = 1; i < limits.Count; i++) Assert.True(limits[i] > limits[i - 1]);
        for (int i = 0; i < positive; i++) Assert.Equal(-limits[^(i + 1)], limits[i]);
    }

    [Fact]
    public void Values_fall_in_the_first_bucket_whose_limit_exceeds_them_and_empty_runs_collapse()
    {
        var h = Histograms.Build([0f, 1f, 1f, -1f]);
        Assert.Equal(-1, h.Min);
        Assert.Equal(1, h.Max);
        Assert.Equal(4, h.Num);
        Assert.Equal(1, h.Sum);
        Assert.Equal(3, h.SumSquares);
        Assert.Equal(h.Bucket.Count, h.BucketLimit.Count);
        Assert.Equal(4, h.Bucket.Sum());
        var limits = Histograms.DefaultBucketLimits;
        // Non-empty buckets keep their own limit: -1 lands in the bucket ending at the first limit above -1,
        // 0 in the one ending at 1e-12, and both 1s in the one ending at the first limit above 1.
        var nonEmpty = h.BucketLimit.Zip(h.Bucket).Where(p => p.Second > 0).ToArray();
        Assert.Equal([(limits.First(l => l > -1), 1.0), (1e-12, 1.0), (limits.First(l => l > 1), 2.0)], nonEmpty.Select(p => (p.First, p.Second)));
        // Between and around them, each run of empty buckets is one zero entry ending at the run's last limit.
        Assert.Equal(7, h.Bucket.Count);
        Assert.Equal(double.MaxValue, h.BucketLimit[^1]);
        Assert.Equal(0, h.Bucket[^1]);
    }

    [Fact]
    public void Empty_input_gives_one_empty_bucket()
    {
        var h = Histograms.Build([]);
        Assert.Equal([double.MaxValue], h.BucketLimit);
        Assert.Equal([0.0], h.Bucket);
        Assert.Equal(double.MaxValue, h.Min);
        Assert.Equal(-double.MaxValue, h.Max);
    }

    [Fact]
    public void Non_finite_values_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Histograms.Build([1f, float.NaN]));
        Assert.Contains("value 1 is NaN", e.Message);
    }
}
