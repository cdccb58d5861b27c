namespace Research.Plugins.MuJoCo.Rendering;

/// <summary>An environment's <c>DEFAULT_CAMERA_CONFIG</c>: what Gymnasium sets on the free camera after placing it over the model.</summary>
/// <param name="TrackBodyId">The body the camera follows when it is a tracking camera.</param>
/// <param name="Distance">Distance from the look-at point.</param>
/// <param name="Lookat">The look-at point (x, y, z).</param>
/// <param name="Elevation">Elevation in degrees.</param>
public sealed record CameraDefaults(int? TrackBodyId = null, double? Distance = null, double[]? Lookat = null, double? Elevation = null)
{
    /// <summary>No overrides (Swimmer has no camera configuration).</summary>
    public static CameraDefaults None { get; } = new();
}
