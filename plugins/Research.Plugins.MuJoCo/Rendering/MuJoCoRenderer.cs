using System.Runtime.InteropServices;
using Research.Abstractions.Environments;
using Research.Plugins.MuJoCo.Native;

namespace Research.Plugins.MuJoCo.Rendering;

/// <summary>Draws frames of one simulation with MuJoCo's own renderer (<c>mjv_updateScene</c>, <c>mjr_render</c>) into its offscreen buffer, as Gymnasium's <c>OffScreenViewer</c>.</summary>
/// <remarks>
/// The camera is set up as Gymnasium does: a free camera over the median of the geoms at the first frame, at the model's
/// extent, then the environment's camera defaults; each frame then uses the chosen model camera (−1: that free camera).
/// </remarks>
internal sealed unsafe class MuJoCoRenderer : IDisposable
{
    private const int MaxGeoms = 1000;

    private readonly MjData _data;
    private readonly EglContext _gl;
    private readonly int _cameraId;
    private readonly MjrRect _viewport;
    private readonly byte* _scene, _camera, _option, _perturb, _context;
    private readonly byte[] _pixels;
    private bool _disposed;

    public MuJoCoRenderer(MjData data, int cameraId, CameraDefaults defaults)
    {
        _data = data;
        _cameraId = cameraId;
        var model = data.Model;
        _viewport = new MjrRect(0, 0, model.OffscreenWidth, model.OffscreenHeight);
        _pixels = new byte[_viewport.Width * _viewport.Height * 3];
        _gl = EglContext.Create();
        _scene = Allocate(MjLayout.Visualization.SceneSize);
        _camera = Allocate(MjLayout.Camera.Size);
        _option = Allocate(MjLayout.Visualization.OptionSize);
        _perturb = Allocate(MjLayout.Visualization.PerturbSize);
        _context = Allocate(MjLayout.Visualization.ContextSize);
        _gl.MakeCurrent();
        try
        {
            MjApi.DefaultScene((nint)_scene);
            MjApi.MakeScene(model.Pointer, (nint)_scene, MaxGeoms);
            MjApi.DefaultCamera((nint)_camera);
            MjApi.DefaultOption((nint)_option);
            MjApi.DefaultPerturb((nint)_perturb);
            MjApi.DefaultContext((nint)_context);
            using var _ = new MjMessages.ModelScope(model.Path);
            MjApi.MakeContext(model.Pointer, (nint)_context, MjLayout.Enums.FontScale150);
            MjApi.SetBuffer(MjLayout.Enums.FramebufferOffscreen, (nint)_context);
        }
        finally
        {
            _gl.Release();
        }
        PlaceFreeCamera(defaults);
    }

    /// <summary>The OpenGL renderer that draws the frames.</summary>
    public string GlRenderer => _gl.Renderer;

    /// <summary>Draws the current state and returns it top row first.</summary>
    public RgbFrame Render()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var model = _data.Model;
        if (_cameraId == -1)
        {
            Set(MjLayout.Camera.Type, MjLayout.Enums.CameraFree);
            Set(MjLayout.Camera.FixedCamId, -1);
        }
        else
        {
            Set(MjLayout.Camera.Type, MjLayout.Enums.CameraFixed);
            Set(MjLayout.Camera.FixedCamId, _cameraId);
        }
        _gl.MakeCurrent();
        try
        {
            using var _ = new MjMessages.ModelScope(model.Path);
            MjApi.UpdateScene(model.Pointer, _data.Pointer, (nint)_option, (nint)_perturb, (nint)_camera, MjLayout.Enums.CatAll, (nint)_scene);
            MjApi.Render(_viewport, (nint)_scene, (nint)_context);
            fixed (byte* pixels = _pixels) MjApi.ReadPixels(pixels, null, _viewport, (nint)_context);
        }
        finally
        {
            _gl.Release();
        }
        // OpenGL's rows run bottom to top; frames run top to bottom.
        int width = _viewport.Width, height = _viewport.Height, stride = width * 3;
        var frame = new byte[_pixels.Length];
        for (int row = 0; row < height; row++)
            _pixels.AsSpan((height - 1 - row) * stride, stride).CopyTo(frame.AsSpan(row * stride, stride));
        return new RgbFrame(width, height, frame);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _gl.MakeCurrent();
        MjApi.FreeContext((nint)_context);
        MjApi.FreeScene((nint)_scene);
        _gl.Release();
        _gl.Dispose();
        foreach (var block in new[] { _scene, _camera, _option, _perturb, _context }) NativeMemory.Free(block);
    }

    // Gymnasium's OffScreenViewer._init_camera, then MujocoRenderer._set_cam_config.
    private void PlaceFreeCamera(CameraDefaults defaults)
    {
        Set(MjLayout.Camera.Type, MjLayout.Enums.CameraFree);
        Set(MjLayout.Camera.FixedCamId, -1);
        var positions = _data.GeomXpos;
        int ngeom = _data.Model.Ngeom;
        var column = new double[ngeom];
        for (int axis = 0; axis < 3; axis++)
        {
            for (int g = 0; g < ngeom; g++) column[g] = positions[g * 3 + axis];
            Lookat[axis] = Median(column);
        }
        Distance = _data.Model.Extent;
        if (defaults.TrackBodyId is { } body) Set(MjLayout.Camera.TrackBodyId, body);
        if (defaults.Distance is { } distance) Distance = distance;
        if (defaults.Lookat is { } lookat) lookat.CopyTo(Lookat);
        if (defaults.Elevation is { } elevation) *(double*)(_camera + MjLayout.Camera.Elevation) = elevation;
    }

    private Span<double> Lookat => new(_camera + MjLayout.Camera.Lookat, 3);

    private double Distance
    {
        set => *(double*)(_camera + MjLayout.Camera.Distance) = value;
    }

    /// <summary><c>np.median</c>: the middle value, or the mean of the two middle values.</summary>
    internal static double Median(double[] values)
    {
        if (values.Length == 0) return 0;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private void Set(int offset, int value) => *(int*)(_camera + offset) = value;

    private static byte* Allocate(int size) => (byte*)NativeMemory.AllocZeroed((nuint)size);
}
