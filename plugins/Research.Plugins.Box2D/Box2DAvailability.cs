using Research.Abstractions.Plugins;
using Research.Plugins.Box2D.Physics;

[assembly: AvailabilityCheck(typeof(Research.Plugins.Box2D.Box2DAvailability))]

namespace Research.Plugins.Box2D;

/// <summary>Tells the host whether the native Box2D shim (compiled at build time against Box2D 2.4) loads here.</summary>
public sealed class Box2DAvailability : IAvailabilityCheck
{
    /// <summary>Null when the shim and Box2D load; else what is missing and how to install it.</summary>
    public string? UnavailableReason() => Box2DLibrary.UnavailableReason;
}
