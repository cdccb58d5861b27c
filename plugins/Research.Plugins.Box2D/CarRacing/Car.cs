using Research.Plugins.Box2D.Physics;

namespace Research.Plugins.Box2D.CarRacing;

/// <summary>Gymnasium's top-down car (<c>car_dynamics.py</c>): a four-part hull, four wheels on revolute joints (front ones steered by
/// their motors), rear-wheel drive, and a tyre model that pushes each wheel towards rolling without slipping, within a friction limit
/// that is higher on road tiles than on grass. Skid marks are kept for rendering.</summary>
internal sealed class Car
{
    internal const double Size = 0.02;
    internal const double EnginePower = 100000000 * Size * Size, WheelMomentOfInertia = 4000 * Size * Size, FrictionLimit = 1000000 * Size * Size;
    internal const double WheelR = 27, WheelW = 14;
    internal static readonly (double X, double Y)[] WheelPos = [(-55, +80), (+55, +80), (-55, -82), (+55, -82)];
    internal static readonly (double X, double Y)[][] HullPolys =
    [
        [(-60, +130), (+60, +130), (+60, +110), (-60, +110)],
        [(-15, +120), (+15, +120), (+20, +20), (-20, 20)],
        [(+25, +20), (+50, -10), (+50, -40), (+20, -90), (-20, -90), (-50, -40), (-50, -10), (-25, +20)],
        [(-50, -120), (+50, -120), (+50, -90), (-50, -90)],
    ];
    internal static readonly (double X, double Y)[] WheelPoly = [(-WheelW, +WheelR), (+WheelW, +WheelR), (+WheelW, -WheelR), (-WheelW, -WheelR)];
    private const int MaxSkidMarks = 30, MaxSkidPoints = 30;

    private readonly World _world;
    private readonly Wheel[] _wheels = new Wheel[4];

    /// <summary>Builds the car at (x, y) facing <paramref name="angle"/>, in Gymnasium's order of bodies, fixtures and joints.</summary>
    public Car(World world, double angle, double x, double y)
    {
        _world = world;
        Hull = world.CreateBody(BodyType.Dynamic, (float)x, (float)y, (float)angle);
        Span<float> vertices = stackalloc float[16];
        foreach (var poly in HullPolys)
        {
            for (int i = 0; i < poly.Length; i++)
            {
                vertices[2 * i] = (float)(poly[i].X * Size);
                vertices[2 * i + 1] = (float)(poly[i].Y * Size);
            }
            world.AddPolygon(Hull, vertices[..(2 * poly.Length)], FixtureDef.Default with { Density = 1f });
        }
        const double frontK = 1.0;
        for (int i = 0; i < 4; i++)
        {
            var (wx, wy) = WheelPos[i];
            var body = world.CreateBody(BodyType.Dynamic, (float)(x + wx * Size), (float)(y + wy * Size), (float)angle);
            for (int k = 0; k < 4; k++)
            {
                vertices[2 * k] = (float)(WheelPoly[k].X * frontK * Size);
                vertices[2 * k + 1] = (float)(WheelPoly[k].Y * frontK * Size);
            }
            world.AddPolygon(body, vertices[..8], new FixtureDef { Density = 0.1f, Friction = 0.2f, CategoryBits = 0x0020, MaskBits = 0x001 });
            var joint = world.CreateRevoluteJoint(new RevoluteJointDef
            {
                BodyA = Hull, BodyB = body, AnchorAX = (float)(wx * Size), AnchorAY = (float)(wy * Size),
                EnableMotor = 1, EnableLimit = 1, MaxMotorTorque = (float)(180 * 900 * Size * Size), MotorSpeed = 0, LowerAngle = -0.4f, UpperAngle = +0.4f,
            });
            _wheels[i] = new Wheel(body, joint, frontK * WheelR * Size);
        }
    }

    /// <summary>The hull body.</summary>
    public BodyId Hull { get; }

    /// <summary>The wheels: front left, front right, rear left, rear right.</summary>
    public ReadOnlySpan<Wheel> Wheels => _wheels;

    /// <summary>Skid marks (at most 30, oldest first).</summary>
    public List<SkidMark> SkidMarks { get; } = [];

    // Marks that left the list and that no wheel extends any more, reused so skidding allocates nothing once warmed up.
    private readonly Stack<SkidMark> _freeMarks = new();

    /// <summary>Rear-wheel drive: each rear wheel's gas rises towards <paramref name="gas"/> (clipped to [0, 1]) by at most 0.1 per step, and drops at once.</summary>
    public void Gas(double gas)
    {
        gas = Math.Clamp(gas, 0, 1);
        for (int i = 2; i < 4; i++)
        {
            double diff = gas - _wheels[i].Gas;
            if (diff > 0.1) diff = 0.1;
            _wheels[i].Gas += diff;
        }
    }

    /// <summary>Brakes every wheel; 0.9 or more blocks them.</summary>
    public void Brake(double brake)
    {
        foreach (var wheel in _wheels) wheel.Brake = brake;
    }

    /// <summary>The front wheels' target angle (−1 full left … +1 full right, as joint motor targets).</summary>
    public void Steer(double steer)
    {
        _wheels[0].Steer = steer;
        _wheels[1].Steer = steer;
    }

    /// <summary>Steers, spins and pushes every wheel for one step of <paramref name="dt"/> seconds (before the world steps).</summary>
    public void Step(double dt)
    {
        foreach (var w in _wheels)
        {
            double jointAngle = _world.GetJointState(w.Joint).Angle;
            double direction = Math.Sign(w.Steer - jointAngle);
            double value = Math.Abs(w.Steer - jointAngle);
            _world.SetMotorSpeed(w.Joint, (float)(direction * Math.Min(50.0 * value, 3.0)));

            bool grass = w.Tiles == 0;
            double frictionLimit = grass ? FrictionLimit * 0.6 : Math.Max(FrictionLimit * 0.6, FrictionLimit * 1.0);

            var state = _world.GetState(w.Body);
            var (forwardX, forwardY) = state.WorldVector(0, 1);
            var (sideX, sideY) = state.WorldVector(1, 0);
            double vx = state.VelocityX, vy = state.VelocityY;
            double vf = forwardX * vx + forwardY * vy;
            double vs = sideX * vx + sideY * vy;

            w.Omega += dt * EnginePower * w.Gas / WheelMomentOfInertia / (Math.Abs(w.Omega) + 5.0);
            if (w.Brake >= 0.9) w.Omega = 0;
            else if (w.Brake > 0)
            {
                const double brakeForce = 15;
                double brakeDirection = -Math.Sign(w.Omega);
                double brakeValue = brakeForce * w.Brake;
                if (Math.Abs(brakeValue) > Math.Abs(w.Omega)) brakeValue = Math.Abs(w.Omega);
                w.Omega += brakeDirection * brakeValue;
            }
            w.Phase += w.Omega * dt;

            double vr = w.Omega * w.Radius;
            double fForce = -vf + vr, pForce = -vs;
            fForce *= 205000 * Size * Size;
            pForce *= 205000 * Size * Size;
            double force = Math.Sqrt(fForce * fForce + pForce * pForce);

            if (Math.Abs(force) > 2.0 * frictionLimit) Skid(w, (state.X, state.Y), grass);
            else
            {
                w.SkidStart = null;
                ReleaseMark(w, null);
            }

            if (Math.Abs(force) > frictionLimit)
            {
                fForce /= force;
                pForce /= force;
                force = frictionLimit;
                fForce *= force;
                pForce *= force;
            }
            w.Omega -= dt * fForce * w.Radius / WheelMomentOfInertia;
            _world.ApplyForceToCenter(w.Body, (float)(pForce * sideX + fForce * forwardX), (float)(pForce * sideY + fForce * forwardY), wake: true);
        }
    }

    // Gymnasium's skid trace: extend the wheel's mark, or remember where skidding started, or start a mark from there.
    private void Skid(Wheel w, (double X, double Y) position, bool grass)
    {
        if (w.SkidMark is { } mark && mark.Grass == grass && mark.Count < MaxSkidPoints) mark.Add(position);
        else if (w.SkidStart is null) w.SkidStart = position;
        else
        {
            var created = _freeMarks.Count > 0 ? _freeMarks.Pop() : new SkidMark(MaxSkidPoints);
            created.Start(w.SkidStart.Value, position, grass);
            SkidMarks.Add(created);
            if (SkidMarks.Count > MaxSkidMarks)
            {
                var oldest = SkidMarks[0];
                SkidMarks.RemoveAt(0);
                oldest.Listed = false;
                Recycle(oldest);
            }
            ReleaseMark(w, created);
            w.SkidStart = null;
        }
    }

    private void ReleaseMark(Wheel w, SkidMark? next)
    {
        var previous = w.SkidMark;
        w.SkidMark = next;
        if (previous is not null && previous != next) Recycle(previous);
    }

    // A mark gone from the list keeps taking points while a wheel still extends it (as in Gymnasium); it is free once none does.
    private void Recycle(SkidMark mark)
    {
        if (mark.Listed) return;
        foreach (var wheel in _wheels)
            if (wheel.SkidMark == mark) return;
        _freeMarks.Push(mark);
    }
}

/// <summary>A skid mark: up to 30 points a skidding wheel left, black on road, mud on grass.</summary>
internal sealed class SkidMark(int capacity)
{
    private readonly (double X, double Y)[] _points = new (double, double)[capacity];

    /// <summary>The points so far.</summary>
    public ReadOnlySpan<(double X, double Y)> Points => _points.AsSpan(0, Count);

    /// <summary>How many points.</summary>
    public int Count { get; private set; }

    /// <summary>Made on grass.</summary>
    public bool Grass { get; private set; }

    /// <summary>In the car's list of marks (drawn).</summary>
    public bool Listed { get; set; }

    public void Start((double X, double Y) first, (double X, double Y) second, bool grass)
    {
        _points[0] = first;
        _points[1] = second;
        Count = 2;
        Grass = grass;
        Listed = true;
    }

    public void Add((double X, double Y) point) => _points[Count++] = point;
}

/// <summary>One wheel of <see cref="Car"/> and the state Gymnasium keeps on it.</summary>
internal sealed class Wheel(BodyId body, JointId joint, double radius)
{
    public BodyId Body { get; } = body;
    public JointId Joint { get; } = joint;
    public double Radius { get; } = radius;
    public double Gas { get; set; }
    public double Brake { get; set; }
    public double Steer { get; set; }

    /// <summary>The wheel's rotation angle (for drawing its stripe).</summary>
    public double Phase { get; set; }

    /// <summary>Angular velocity of the wheel's spin.</summary>
    public double Omega { get; set; }

    /// <summary>How many road tiles the wheel touches (Gymnasium's <c>len(w.tiles)</c>).</summary>
    public int Tiles { get; set; }

    public (double X, double Y)? SkidStart { get; set; }
    public SkidMark? SkidMark { get; set; }
}
