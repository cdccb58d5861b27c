using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.ClassicControl;

/// <summary>Gymnasium's <c>Acrobot-v1</c>: swing a two-link chain, torquing the middle joint by −1, 0 or +1, until its tip rises one link above the pivot; −1 per step, 0 on the last.</summary>
/// <remarks>
/// Integrates the "book" dynamics of Sutton &amp; Barto with one fourth-order Runge–Kutta step of 0.2 s, in float64 and in
/// Gymnasium's operation order. The initial state is drawn as float64 and rounded to float32, as Gymnasium does.
/// </remarks>
[Environment("Acrobot-v1", MaxEpisodeSteps = 500, RewardThreshold = -100, Description = "Swing up a two-link underactuated robot arm.")]
public sealed class AcrobotEnv : ClassicControlEnv
{
    private const double Dt = 0.2, LinkLength1 = 1.0, LinkLength2 = 1.0, LinkMass1 = 1.0, LinkMass2 = 1.0;
    private const double LinkCom1 = 0.5, LinkCom2 = 0.5, LinkMoi = 1.0, Gravity = 9.8;
    private const double MaxVelocity1 = 4 * Math.PI, MaxVelocity2 = 9 * Math.PI;

    private double _theta1, _theta2, _dTheta1, _dTheta2;

    /// <summary>Creates the environment; call <c>Reset</c> before stepping.</summary>
    public AcrobotEnv()
        : base("Acrobot-v1",
            new Box([-1f, -1f, -1f, -1f, -(float)MaxVelocity1, -(float)MaxVelocity2], [1f, 1f, 1f, 1f, (float)MaxVelocity1, (float)MaxVelocity2]),
            new Discrete(3), 500, 500) { }

    public override int StateSize => 4;

    public override void CopyState(Span<double> destination)
    {
        destination[0] = _theta1;
        destination[1] = _theta2;
        destination[2] = _dTheta1;
        destination[3] = _dTheta2;
    }

    protected override void ResetState(NumpyGenerator random)
    {
        _theta1 = (float)random.Uniform(-0.1, 0.1);
        _theta2 = (float)random.Uniform(-0.1, 0.1);
        _dTheta1 = (float)random.Uniform(-0.1, 0.1);
        _dTheta2 = (float)random.Uniform(-0.1, 0.1);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        observation[5] = (float)_dTheta2;
        observation[0] = (float)Math.Cos(_theta1);
        observation[1] = (float)Math.Sin(_theta1);
        observation[2] = (float)Math.Cos(_theta2);
        observation[3] = (float)Math.Sin(_theta2);
        observation[4] = (float)_dTheta1;
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        double torque = DiscreteAction(action, 3) - 1;
        var y0 = new State(_theta1, _theta2, _dTheta1, _dTheta2);
        const double half = Dt / 2.0;
        var k1 = Derivative(y0, torque);
        var k2 = Derivative(y0.Plus(half, k1), torque);
        var k3 = Derivative(y0.Plus(half, k2), torque);
        var k4 = Derivative(y0.Plus(Dt, k3), torque);
        const double sixth = Dt / 6.0;
        _theta1 = Wrap(y0.Theta1 + sixth * (k1.Theta1 + 2 * k2.Theta1 + 2 * k3.Theta1 + k4.Theta1));
        _theta2 = Wrap(y0.Theta2 + sixth * (k1.Theta2 + 2 * k2.Theta2 + 2 * k3.Theta2 + k4.Theta2));
        _dTheta1 = Math.Min(Math.Max(y0.DTheta1 + sixth * (k1.DTheta1 + 2 * k2.DTheta1 + 2 * k3.DTheta1 + k4.DTheta1), -MaxVelocity1), MaxVelocity1);
        _dTheta2 = Math.Min(Math.Max(y0.DTheta2 + sixth * (k1.DTheta2 + 2 * k2.DTheta2 + 2 * k3.DTheta2 + k4.DTheta2), -MaxVelocity2), MaxVelocity2);
        terminated = -Math.Cos(_theta1) - Math.Cos(_theta2 + _theta1) > 1.0;
        WriteObservation(observation);
        return terminated ? 0.0 : -1.0;
    }

    /// <summary>The joint angles and velocities, and their time derivatives.</summary>
    private readonly record struct State(double Theta1, double Theta2, double DTheta1, double DTheta2)
    {
        public State Plus(double h, State k) => new(Theta1 + h * k.Theta1, Theta2 + h * k.Theta2, DTheta1 + h * k.DTheta1, DTheta2 + h * k.DTheta2);
    }

    /// <summary>The "book" equations of motion (Gymnasium's <c>_dsdt</c>) in its operation order.</summary>
    private static State Derivative(State s, double torque)
    {
        const double m1 = LinkMass1, m2 = LinkMass2, l1 = LinkLength1, lc1 = LinkCom1, lc2 = LinkCom2, i1 = LinkMoi, i2 = LinkMoi;
        double cosTheta2 = Math.Cos(s.Theta2);
        double sinTheta2 = Math.Sin(s.Theta2);
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cosTheta2) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * cosTheta2) + i2;
        double phi2 = m2 * lc2 * Gravity * Math.Cos(s.Theta1 + s.Theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (s.DTheta2 * s.DTheta2) * sinTheta2
                      - 2 * m2 * l1 * lc2 * s.DTheta2 * s.DTheta1 * sinTheta2
                      + (m1 * lc1 + m2 * l1) * Gravity * Math.Cos(s.Theta1 - Math.PI / 2)
                      + phi2;
        double ddTheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * (s.DTheta1 * s.DTheta1) * sinTheta2 - phi2)
                          / (m2 * (lc2 * lc2) + i2 - d2 * d2 / d1);
        double ddTheta1 = -(d2 * ddTheta2 + phi1) / d1;
        return new State(s.DTheta1, s.DTheta2, ddTheta1, ddTheta2);
    }

    /// <summary>Gymnasium's <c>wrap(x, −π, π)</c>: shifts by whole turns until the angle is in [−π, π].</summary>
    private static double Wrap(double x)
    {
        const double turn = Math.PI - -Math.PI;
        while (x > Math.PI) x -= turn;
        while (x < -Math.PI) x += turn;
        return x;
    }

    protected override void Draw(Canvas canvas)
    {
        const double scale = 500 / ((LinkLength1 + LinkLength2 + 0.2) * 2), offset = 500 / 2.0;
        canvas.DrawLine(-2.2 * scale + offset, 1 * scale + offset, 2.2 * scale + offset, 1 * scale + offset, Rgb.Black);
        var linkColor = new Rgb(0, 204, 204);
        var jointColor = new Rgb(204, 204, 0);
        Span<(double X, double Y)> corners = stackalloc (double, double)[4];
        // Gymnasium swaps the point's coordinates (xys[:, ::-1]) before drawing.
        (double X, double Y)[] joints = [(0, 0), (LinkLength1 * Math.Sin(_theta1) * scale, -LinkLength1 * Math.Cos(_theta1) * scale)];
        double[] angles = [_theta1 - Math.PI / 2, _theta1 + _theta2 - Math.PI / 2];
        double[] lengths = [LinkLength1 * scale, LinkLength2 * scale];
        for (int i = 0; i < 2; i++)
        {
            double x = joints[i].X + offset, y = joints[i].Y + offset;
            new Placement(angles[i], x, y).Rectangle(0, lengths[i], -0.1 * scale, 0.1 * scale, corners);
            canvas.FillPolygon(corners, linkColor);
            canvas.FillCircle((int)x, (int)y, (int)(0.1 * scale), jointColor);
        }
    }

    protected override void RestoreState(ReadOnlySpan<double> state) =>
        (_theta1, _theta2, _dTheta1, _dTheta2) = (state[0], state[1], state[2], state[3]);
}
