namespace Research.Abstractions.Metrics;

/// <summary>Receives training metrics under Stable-Baselines' tag names (<c>rollout/ep_rew_mean</c>, <c>train/value_loss</c>, …).</summary>
public interface IMetricsSink : IDisposable
{
    /// <summary>Records one scalar at a step (the number of environment timesteps so far).</summary>
    void RecordScalar(string tag, double value, long step);

    /// <summary>Records a text value at a step.</summary>
    void RecordText(string tag, string text, long step) { }

    /// <summary>Records the distribution of values (for example a layer's weights) at a step.</summary>
    void RecordHistogram(string tag, ReadOnlySpan<float> values, long step) { }

    /// <summary>Writes out everything recorded so far.</summary>
    void Flush();
}
