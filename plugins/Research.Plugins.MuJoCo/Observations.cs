namespace Research.Plugins.MuJoCo;

/// <summary>Writes MuJoCo's float64 arrays into the float32 observation buffer, piece after piece (Gymnasium's <c>np.concatenate</c> of <c>_get_obs</c>).</summary>
internal static class Observations
{
    /// <summary>Writes <paramref name="values"/> at <paramref name="at"/> and moves past them.</summary>
    public static void Put(Span<float> observation, ref int at, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++) observation[at + i] = (float)values[i];
        at += values.Length;
    }

    /// <summary>Like <c>Put</c>, each value clipped to [<paramref name="low"/>, <paramref name="high"/>] first (<c>np.clip</c>).</summary>
    public static void PutClipped(Span<float> observation, ref int at, ReadOnlySpan<double> values, double low, double high)
    {
        for (int i = 0; i < values.Length; i++) observation[at + i] = (float)NumpyArithmetic.Clip(values[i], low, high);
        at += values.Length;
    }

    /// <summary>Writes one value at <paramref name="at"/> and moves past it.</summary>
    public static void Put(Span<float> observation, ref int at, double value) => observation[at++] = (float)value;
}
