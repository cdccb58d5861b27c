using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.ClassicControl;

/// <summary>Gymnasium's <c>CartPole-v1</c>: balance a pole on a cart pushed left (0) or right (1); +1 per step until the pole falls past 12° or the cart leaves ±2.4.</summary>
/// <remarks>Euler integration in float64 with Gymnasium's constants and operation order; observations are the state rounded to float32.</remarks>
[Environment("CartPole-v1", MaxEpisodeSteps = 500, RewardThreshold = 475, Description = "Balance a pole on a cart (Barto, Sutton & Anderson).")]
public sealed class CartPoleEnv : ClassicControlEnv
{
    private const double Gravity = 9.8, MassCart = 1.0, MassPole = 0.1, TotalMass = MassPole + MassCart;
    private const double Length = 0.5, PoleMassLength = MassPole * Length, ForceMag = 10.0, Tau = 0.02;
    private const double ThetaThreshold = 12 * 2 * Math.PI / 360, XThreshold = 2.4;

    private double _x, _xDot, _theta, _thetaDot;

    /// <summary>Creates the environment; call <c>Reset</c> before stepping.</summary>
    public CartPoleEnv()
        : base("CartPole-v1",
            new Box([-(float)(XThreshold * 2), float.NegativeInfinity, -(float)(ThetaThreshold * 2), float.NegativeInfinity],
                    [(float)(XThreshold * 2), float.PositiveInfinity, (float)(ThetaThreshold * 2), float.PositiveInfinity]),
            new Discrete(2), 600, 400) { }

    public override int StateSize => 4;

    public override void CopyState(Span<double> destination)
    {
        destination[0] = _x;
        destination[1] = _xDot;
        destination[2] = _theta;
        destination[3] = _thetaDot;
    }

    protected override void ResetState(NumpyGenerator random)
    {
        _x = random.Uniform(-0.05, 0.05);
        _xDot = random.Uniform(-0.05, 0.05);
        _theta = random.Uniform(-0.05, 0.05);
        _thetaDot = random.Uniform(-0.05, 0.05);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        observation[3] = (float)_thetaDot;
        observation[0] = (float)_x;
        observation[1] = (float)_xDot;
        observation[2] = (float)_theta;
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        double force = DiscreteAction(action, 2) == 1 ? ForceMag : -ForceMag;
        var (sinTheta, cosTheta) = Math.SinCos(_theta);
        double temp = (force + PoleMassLength * (_thetaDot * _thetaDot) * sinTheta) / TotalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp)
                          / (Length * (4.0 / 3.0 - MassPole * (cosTheta * cosTheta) / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;
        _x += Tau * _xDot;
        _xDot += Tau * xAcc;
        _theta += Tau * _thetaDot;
        _thetaDot += Tau * thetaAcc;
        terminated = _x < -XThreshold || _x > XThreshold || _theta < -ThetaThreshold || _theta > ThetaThreshold;
        WriteObservation(observation);
        return 1.0;
    }

    protected override void Draw(Canvas canvas)
    {
        const double scale = 600 / (XThreshold * 2), poleWidth = 10.0, poleLength = scale * (2 * Length);
        const double cartWidth = 50.0, cartHeight = 30.0, cartY = 100, axleOffset = cartHeight / 4.0;
        double cartX = _x * scale + 600 / 2.0;
        Span<(double X, double Y)> corners = stackalloc (double, double)[4];
        new Placement(0, cartX, cartY).Rectangle(-cartWidth / 2, cartWidth / 2, -cartHeight / 2, cartHeight / 2, corners);
        canvas.FillPolygon(corners, Rgb.Black);
        new Placement(-_theta, cartX, cartY + axleOffset).Rectangle(-poleWidth / 2, poleWidth / 2, -poleWidth / 2, poleLength - poleWidth / 2, corners);
        canvas.FillPolygon(corners, new Rgb(202, 152, 101));
        canvas.FillCircle((int)cartX, (int)(cartY + axleOffset), (int)(poleWidth / 2), new Rgb(129, 132, 203));
        canvas.DrawLine(0, cartY, 600, cartY, Rgb.Black);
    }

    protected override void RestoreState(ReadOnlySpan<double> state) => (_x, _xDot, _theta, _thetaDot) = (state[0], state[1], state[2], state[3]);
}
