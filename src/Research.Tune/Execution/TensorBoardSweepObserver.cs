using System.Collections;
using Research.TensorBoard;

namespace Research.Tune;

/// <summary>Writes TensorBoard's HParams records for a sweep: the experiment (hyperparameters and metrics) at its root, each trial's session start and end in its own directory.</summary>
/// <remarks>
/// Trials log their result rows as <c>ray/tune/&lt;key&gt;</c> scalars into their directory (see
/// <see cref="TrialProcessOptions.SinkFactory"/>), so the metrics named here are found in each session's run.
/// </remarks>
public sealed class TensorBoardSweepObserver(string experimentDirectory) : ISweepObserver
{
    /// <summary>The tag prefix under which trials log their result rows.</summary>
    public const string ResultTagPrefix = "ray/tune/";

    private static readonly string[] StandardMetrics = ["episode_reward_mean", "episode_len_mean", "timesteps_total", "time_total_s"];

    private Dictionary<string, HParamType> _types = [];

    /// <summary>Writes the experiment summary: every config key of the trials as a hyperparameter, the sweep's metric and the usual result keys as metrics.</summary>
    public void OnSweepStart(SweepSpec spec, SweepSnapshot snapshot)
    {
        var configs = snapshot.Trials.Select(t => Flatten(t.Config)).ToList();
        _types = configs.SelectMany(c => c.Keys).Distinct().ToDictionary(key => key, key => TypeOf(configs.Select(c => c.GetValueOrDefault(key)).OfType<object>()));
        var hparams = _types.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new HParamSpec(kv.Key, kv.Value)
        {
            Values = kv.Value == HParamType.Number ? null : configs.Select(c => c.GetValueOrDefault(kv.Key)).OfType<object>().Select(v => As(v, kv.Value)).Distinct().ToList(),
        });
        var metrics = new[] { spec.Metric }.OfType<string>().Concat(StandardMetrics).Distinct()
            .Select(m => new MetricSpec(ResultTagPrefix + m) { DisplayName = m });
        using var writer = new SummaryWriter(experimentDirectory);
        writer.AddExperiment(hparams, metrics);
    }

    /// <summary>Starts a trial's session when it first runs, and ends it when it finishes.</summary>
    public void OnTrialStatus(TrialSnapshot trial)
    {
        bool fresh = trial.Status == TrialStatus.Running && trial.TrainingIteration == 0 && trial.NumFailures == 0;
        if (!fresh && trial.Status is not (TrialStatus.Terminated or TrialStatus.Error)) return;
        using var writer = new SummaryWriter(TrialDirectory(trial));
        if (fresh)
            writer.AddSessionStart(Flatten(trial.Config).ToDictionary(kv => kv.Key, kv => As(kv.Value, _types.GetValueOrDefault(kv.Key, HParamType.String))), trial.TrialId);
        else
            writer.AddSessionEnd(trial.Status == TrialStatus.Terminated ? TensorBoard.TrialStatus.Success : TensorBoard.TrialStatus.Failure);
    }

    private string TrialDirectory(TrialSnapshot trial) =>
        Path.IsPathRooted(trial.Dir) ? trial.Dir : Path.Combine(experimentDirectory, trial.Dir);

    /// <summary>Number or Bool when every trial's value is one, else String (a key mixing <c>lin_0.001</c> and <c>0.0003</c> is text).</summary>
    private static HParamType TypeOf(IEnumerable<object> values)
    {
        var all = values.ToList();
        return all.All(v => v is double) ? HParamType.Number : all.All(v => v is bool) ? HParamType.Bool : HParamType.String;
    }

    private static object As(object value, HParamType type) => type == HParamType.String && value is not string
        ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""
        : value;

    /// <summary>Nested config maps as dotted keys; numbers as doubles, booleans as booleans, anything else as text.</summary>
    private static Dictionary<string, object> Flatten(IReadOnlyDictionary<string, object?> config, string prefix = "")
    {
        var flat = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in config)
        {
            string name = prefix + key;
            switch (value)
            {
                case IReadOnlyDictionary<string, object?> nested:
                    foreach (var (k, v) in Flatten(nested, name + ".")) flat[k] = v;
                    break;
                case bool b:
                    flat[name] = b;
                    break;
                case null:
                    flat[name] = "null";
                    break;
                case string s:
                    flat[name] = double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : s;
                    break;
                case IConvertible c when value is not string:
                    flat[name] = c.ToDouble(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case IEnumerable list:
                    flat[name] = "[" + string.Join(", ", list.Cast<object?>()) + "]";
                    break;
                default:
                    flat[name] = value.ToString() ?? "";
                    break;
            }
        }
        return flat;
    }
}
