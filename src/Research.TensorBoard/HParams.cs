using Google.Protobuf;
using Research.TensorBoard.Proto;
using Research.TensorBoard.Proto.HParams;
using WellKnown = Google.Protobuf.WellKnownTypes;

namespace Research.TensorBoard;

/// <summary>The kind of values a hyperparameter takes, as the HParams dashboard filters them.</summary>
public enum HParamType
{
    /// <summary>Text (for example an activation name).</summary>
    String,
    /// <summary>True or false.</summary>
    Bool,
    /// <summary>Any number.</summary>
    Number,
}

/// <summary>Describes one hyperparameter of a sweep: its name, type and (optionally) its domain.</summary>
public sealed record HParamSpec(string Name, HParamType Type)
{
    /// <summary>The values a grid or choice search tries (strings, bools or numbers), or null.</summary>
    public IReadOnlyList<object>? Values { get; init; }

    /// <summary>The closed interval a numeric search samples from, or null.</summary>
    public (double Min, double Max)? Interval { get; init; }

    /// <summary>A description shown in the dashboard.</summary>
    public string Description { get; init; } = "";
}

/// <summary>A metric the HParams dashboard shows per trial: the tag of a scalar each trial writes.</summary>
public sealed record MetricSpec(string Tag)
{
    /// <summary>The run sub-directory (relative to the trial) holding the scalar; empty for the trial directory itself.</summary>
    public string Group { get; init; } = "";

    /// <summary>The column title, or empty for the tag.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>A description shown in the dashboard.</summary>
    public string Description { get; init; } = "";
}

/// <summary>How a trial ended, as the HParams dashboard shows it.</summary>
public enum TrialStatus
{
    /// <summary>Not known.</summary>
    Unknown = Status.Unknown,
    /// <summary>Completed.</summary>
    Success = Status.Success,
    /// <summary>Failed or was stopped with an error.</summary>
    Failure = Status.Failure,
    /// <summary>Still running.</summary>
    Running = Status.Running,
}

/// <summary>
/// The HParams plugin's summaries: the experiment (hyperparameters and metrics, written once at a sweep's root)
/// and each trial's session start (its hyperparameter values) and end (its status), written in the trial's directory.
/// </summary>
public static class HParams
{
    /// <summary>The plugin name in <see cref="SummaryMetadata.Types.PluginData"/>.</summary>
    public const string PluginName = "hparams";

    /// <summary>The tag of the experiment summary.</summary>
    public const string ExperimentTag = "_hparams_/experiment";

    /// <summary>The tag of a session's start summary.</summary>
    public const string SessionStartTag = "_hparams_/session_start_info";

    /// <summary>The tag of a session's end summary.</summary>
    public const string SessionEndTag = "_hparams_/session_end_info";

    /// <summary>The experiment summary listing the sweep's hyperparameters and metrics.</summary>
    public static Summary.Types.Value Experiment(IEnumerable<HParamSpec> hparams, IEnumerable<MetricSpec> metrics, double timeCreatedSecs)
    {
        var experiment = new Experiment { TimeCreatedSecs = timeCreatedSecs };
        foreach (var spec in hparams) experiment.HparamInfos.Add(ToInfo(spec));
        foreach (var metric in metrics)
        {
            experiment.MetricInfos.Add(new MetricInfo
            {
                Name = new MetricName { Group = metric.Group, Tag = Summaries.CheckTag(metric.Tag) },
                DisplayName = metric.DisplayName,
                Description = metric.Description,
            });
        }
        return Wrap(ExperimentTag, new HParamsPluginData { Experiment = experiment });
    }

    /// <summary>A trial's start: its hyperparameter values (strings, bools or numbers) and the group of trials sharing them.</summary>
    public static Summary.Types.Value SessionStart(IReadOnlyDictionary<string, object> values, string groupName, double startTimeSecs)
    {
        var start = new SessionStartInfo { GroupName = groupName, StartTimeSecs = startTimeSecs };
        foreach (var (name, value) in values) start.Hparams.Add(name, ToValue(name, value));
        return Wrap(SessionStartTag, new HParamsPluginData { SessionStartInfo = start });
    }

    /// <summary>A trial's end and its status.</summary>
    public static Summary.Types.Value SessionEnd(TrialStatus status, double endTimeSecs) =>
        Wrap(SessionEndTag, new HParamsPluginData { SessionEndInfo = new SessionEndInfo { Status = (Status)status, EndTimeSecs = endTimeSecs } });

    private static HParamInfo ToInfo(HParamSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        var info = new HParamInfo
        {
            Name = spec.Name,
            Description = spec.Description,
            Type = spec.Type switch
            {
                HParamType.String => Proto.HParams.DataType.String,
                HParamType.Bool => Proto.HParams.DataType.Bool,
                _ => Proto.HParams.DataType.Float64,
            },
        };
        if (spec.Values is { } values)
        {
            if (spec.Interval is not null) throw new ArgumentException($"HParamSpec '{spec.Name}': give Values or Interval, not both.");
            var list = new WellKnown.ListValue();
            foreach (var value in values)
            {
                var converted = ToValue(spec.Name, value);
                if (KindOf(converted) != spec.Type)
                    throw new ArgumentException($"HParamSpec '{spec.Name}': value {value} is not of type {spec.Type}.");
                list.Values.Add(converted);
            }
            info.DomainDiscrete = list;
        }
        else if (spec.Interval is var (min, max))
        {
            if (spec.Type != HParamType.Number || !(min <= max))
                throw new ArgumentException($"HParamSpec '{spec.Name}': an interval needs a Number type and Min <= Max (got [{min}, {max}]).");
            info.DomainInterval = new Interval { MinValue = min, MaxValue = max };
        }
        return info;
    }

    private static HParamType KindOf(WellKnown.Value value) => value.KindCase switch
    {
        WellKnown.Value.KindOneofCase.StringValue => HParamType.String,
        WellKnown.Value.KindOneofCase.BoolValue => HParamType.Bool,
        _ => HParamType.Number,
    };

    private static WellKnown.Value ToValue(string name, object value) => value switch
    {
        string s => WellKnown.Value.ForString(s),
        bool b => WellKnown.Value.ForBool(b),
        double or float or int or long or short or byte or sbyte or uint or ushort or ulong or decimal =>
            WellKnown.Value.ForNumber(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"Hyperparameter '{name}': value {value} ({value?.GetType().Name ?? "null"}) is not a string, bool or number."),
    };

    /// <summary>TensorBoard stores hparams data as plugin metadata over an empty float tensor (its NULL_TENSOR).</summary>
    private static Summary.Types.Value Wrap(string tag, HParamsPluginData data) => new()
    {
        Tag = tag,
        Metadata = new SummaryMetadata
        {
            PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = data.ToByteString() },
        },
        Tensor = new TensorProto
        {
            Dtype = Proto.DataType.DtFloat,
            TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = 0 } } },
        },
    };
}
