using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Native;

[assembly: AvailabilityCheck(typeof(Research.Plugins.MuJoCo.MuJoCoAvailability))]

namespace Research.Plugins.MuJoCo;

/// <summary>Tells the host whether the MuJoCo library (2.2.2, the version the offsets were generated for) can be loaded here.</summary>
public sealed class MuJoCoAvailability : IAvailabilityCheck
{
    /// <summary>Null when MuJoCo loads; else what is missing or wrong and how to install it.</summary>
    public string? UnavailableReason() => MuJoCoLibrary.Problem;
}
