using System.Text.Json.Serialization;

namespace Research.Tune;

/// <summary>Where a trial is in its life, with Tune's names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrialStatus>))]
public enum TrialStatus
{
    /// <summary>Waiting for a free slot (also: waiting to be restarted from its checkpoint).</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,

    /// <summary>Its process runs.</summary>
    [JsonStringEnumMemberName("RUNNING")] Running,

    /// <summary>Stopped with a checkpoint when the driver was interrupted; resumes with the sweep.</summary>
    [JsonStringEnumMemberName("PAUSED")] Paused,

    /// <summary>Finished: a stop criterion was met.</summary>
    [JsonStringEnumMemberName("TERMINATED")] Terminated,

    /// <summary>Failed more than <c>max_failures</c> times; <c>error.txt</c> says why.</summary>
    [JsonStringEnumMemberName("ERROR")] Error,
}
