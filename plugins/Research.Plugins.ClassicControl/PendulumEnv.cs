using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.ClassicControl;

/// <summary>Options of <see cref="PendulumEnv"/> (Gymnasium's <c>gym.make("Pendulum-v1", g=…)</c>).</summary>
public sealed record PendulumOptions
{
    /// <summary>Gravitational acceleration in m/s².</summary>
    [Option("Gravitational acceleration in m/s^2.", Min = 0)]
    public double G { get; init; } = 10.0;
}

/// <summary>Gymnasium's <c>Pendulum-v1</c>: swing a pendulum up with a torque in [−2, 2]; the cost is angle² + 0.1·speed² + 0.001·torque². It never terminates.</summary>
/// <remarks>
/// The clipped torque is a float32 scalar in Gymnasium, so under NumPy 2's rules the torque terms
/// (<c>0.001·u²</c> and <c>3·u</c>) are rounded to float32; everything else is float64.
/// </remarks>
[Environment("Pendulum-v1", MaxEpisodeSteps = 200, Description = "Swing up and balance an inverted pendulum with a bounded torque.")]
public sealed class PendulumEnv : ClassicControlEnv
{
    private const double MaxSpeed = 8, Dt = 0.05, Mass = 1.0, RodLength = 1.0;
    private const float MaxTorque = 2.0f;

    private readonly double _gravityTerm;
    private double _theta, _thetaDot;
    private float? _lastTorque;

    /// <summary>Creates the environment with g = 10.</summary>
    public PendulumEnv() : this(new PendulumOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public PendulumEnv(PendulumOptions options)
        : base("Pendulum-v1", new Box([-1f, -1f, -(float)MaxSpeed], [1f, 1f, (float)MaxSpeed]), new Box(-MaxTorque, MaxTorque, [1]), 500, 500)
    {
        if (!double.IsFinite(options.G)) throw new ArgumentException($"Pendulum-v1: option g = {options.G} must be a finite number.", nameof(options));
        Options = options;
        _gravityTerm = 3 * options.G / (2 * RodLength);
    }

    /// <summary>The options this environment was made with.</summary>
    public PendulumOptions Options { get; }

    public override int StateSize => 2;

    public override void CopyState(Span<double> destination)
    {
        destination[0] = _theta;
        destination[1] = _thetaDot;
    }

    protected override void ResetState(NumpyGenerator random)
    {
        _theta = random.Uniform(-Math.PI, Math.PI);
        _thetaDot = random.Uniform(-1.0, 1.0);
        _lastTorque = null;
    }

    protected override void WriteObservation(Span<float> observation)
    {
        var (sin, cos) = Math.SinCos(_theta);
        observation[2] = (float)_thetaDot;
        observation[0] = (float)cos;
        observation[1] = (float)sin;
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        float u = Math.Clamp(ContinuousAction(action), -MaxTorque, MaxTorque);
        _lastTorque = u;
        double angle = AngleNormalize(_theta);
        double costs = angle * angle + 0.1 * (_thetaDot * _thetaDot) + (float)(0.001f * (u * u));
        double thetaDot = _thetaDot + (_gravityTerm * Math.Sin(_theta) + (float)(3.0 / (Mass * RodLength * RodLength)) * u) * Dt;
        thetaDot = Math.Clamp(thetaDot, -MaxSpeed, MaxSpeed);
        _theta += thetaDot * Dt;
        _thetaDot = thetaDot;
        terminated = false;
        WriteObservation(observation);
        return -costs;
    }

    /// <summary>NumPy's <c>((x + π) mod 2π) − π</c> with Python's floored modulo.</summary>
    private static double AngleNormalize(double x)
    {
        const double period = 2 * Math.PI;
        double shifted = x + Math.PI;
        double remainder = shifted % period;
        if (remainder < 0) remainder += period;
        return remainder - Math.PI;
    }

    protected override void Draw(Canvas canvas)
    {
        const double scale = 500 / (2.2 * 2), offset = 500 / 2, rodLength = 1 * scale, rodWidth = 0.2 * scale;
        var color = new Rgb(204, 77, 77);
        var rod = new Placement(_theta + Math.PI / 2, offset, offset);
        Span<(double X, double Y)> corners = stackalloc (double, double)[4];
        rod.Rectangle(0, rodLength, -rodWidth / 2, rodWidth / 2, corners);
        canvas.FillPolygon(corners, color);
        canvas.FillCircle(offset, offset, (int)(rodWidth / 2), color);
        var (endX, endY) = rod.Apply(rodLength, 0);
        canvas.FillCircle((int)endX, (int)endY, (int)(rodWidth / 2), color);
        if (_lastTorque is { } torque && torque != 0) DrawTorqueArrow(canvas, offset, scale * Math.Abs(torque) / 4, Math.Sign(torque));
        canvas.FillCircle(offset, offset, (int)(0.05 * scale), Rgb.Black);
    }

    /// <summary>Draws a three-quarter arc with an arrowhead, turning counter-clockwise for positive torque (Gymnasium blits an arrow image here).</summary>
    private static void DrawTorqueArrow(Canvas canvas, double center, double radius, int direction)
    {
        const int segments = 24;
        const double sweep = 1.5 * Math.PI;
        Span<(double X, double Y)> arc = stackalloc (double, double)[segments + 1];
        for (int thickness = 0; thickness < 3; thickness++)
        {
            double r = radius + thickness;
            for (int i = 0; i <= segments; i++)
            {
                double angle = -Math.PI / 2 + direction * sweep * i / segments;
                arc[i] = (center + r * Math.Cos(angle), center + r * Math.Sin(angle));
            }
            canvas.DrawPolyline(arc, Rgb.Black);
        }
        double endAngle = -Math.PI / 2 + direction * sweep;
        var tip = new Placement(endAngle, center, center);
        double head = Math.Max(4, radius / 3);
        canvas.FillPolygon([tip.Apply(radius - head, 0), tip.Apply(radius + head, 0), tip.Apply(radius, direction * head * 1.5)], Rgb.Black);
    }

    protected override void RestoreState(ReadOnlySpan<double> state) => (_theta, _thetaDot) = (state[0], state[1]);

    protected override void WriteExtraState(BinaryWriter writer)
    {
        writer.Write(_lastTorque.HasValue);
        writer.Write(_lastTorque ?? 0f);
    }

    protected override void ReadExtraState(BinaryReader reader)
    {
        bool hasTorque = reader.ReadBoolean();
        float torque = reader.ReadSingle();
        _lastTorque = hasTorque ? torque : null;
    }
}
