using Research.Abstractions.Options;

namespace Research.Plugins.MuJoCo;

/// <summary>The rendering options every MuJoCo environment takes (Gymnasium's <c>MujocoEnv</c> keyword arguments).</summary>
public record MuJoCoEnvOptions
{
    /// <summary>Width of rendered frames in pixels.</summary>
    [Option("Width of rendered frames in pixels.", Min = 1, Max = 16384)]
    public int Width { get; init; } = 480;

    /// <summary>Height of rendered frames in pixels.</summary>
    [Option("Height of rendered frames in pixels.", Min = 1, Max = 16384)]
    public int Height { get; init; } = 480;

    /// <summary>The model camera to render from (−1: the free camera); unset: the camera named by <see cref="CameraName"/>.</summary>
    [Option("Model camera id to render from (-1: the free camera); not together with camera_name.", Min = -1)]
    public int? CameraId { get; init; }

    /// <summary>The named model camera to render from; unset with no <see cref="CameraId"/>: "track" when the model has it, else the free camera.</summary>
    [Option("Named model camera to render from; default 'track' when the model has one, else the free camera.")]
    public string? CameraName { get; init; }
}
