using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Seeding;

namespace Research.Plugins.Box2D.BipedalWalker;

/// <summary>Options of <see cref="BipedalWalkerEnv"/> (Gymnasium's <c>gym.make("BipedalWalker-v3", hardcore=…)</c>).</summary>
public record BipedalWalkerOptions
{
    /// <summary>Terrain with stumps, stairs and pits (BipedalWalkerHardcore-v3).</summary>
    [Option("Terrain with stumps, stairs and pits (BipedalWalkerHardcore-v3).")]
    public bool Hardcore { get; init; }
}

/// <summary>Options of <see cref="BipedalWalkerHardcoreEnv"/>: hardcore by default.</summary>
public sealed record BipedalWalkerHardcoreOptions : BipedalWalkerOptions
{
    /// <summary>Hardcore terrain by default.</summary>
    public BipedalWalkerHardcoreOptions() => Hardcore = true;
}

/// <summary>Gymnasium 0.29.1's <c>BipedalWalker-v3</c> on Box2D: a four-joint walker; actions are motor speeds and torques in [−1, 1].</summary>
/// <remarks>
/// Observation (24): hull angle, angular velocity, x and y velocity, per leg hip angle and speed, knee angle and speed and
/// the lower leg's ground contact, then ten lidar fractions (ray casts of 160/30 units, nearest terrain hit). Reward: 130 per
/// unit of forward progress / 30 minus 5·|hull angle| change, minus 0.00035·80·|a| per joint; −100 when the hull touches the
/// ground or the walker runs backwards off the start; the episode also ends at the terrain's far end. Float64 arithmetic as
/// in Python with NumPy 1 (float32 actions widened first); Box2D takes and returns float32.
/// </remarks>
[Environment("BipedalWalker-v3", MaxEpisodeSteps = 1600, RewardThreshold = 300, Description = "Teach a two-legged robot to walk over rough terrain (Box2D).")]
public class BipedalWalkerEnv : Box2DEnv
{
    internal const double Fps = 50, Scale = 30.0, MotorsTorque = 80, SpeedHip = 4, SpeedKnee = 6, LidarRange = 160 / Scale;
    internal const double InitialRandom = 5, LegDown = -8 / Scale, LegW = 8 / Scale, LegH = 34 / Scale;
    internal const int ViewportW = 600, ViewportH = 400, TerrainLength = 200, TerrainGrass = 10, TerrainStartPad = 20;
    internal const double TerrainStep = 14 / Scale, TerrainHeight = ViewportH / Scale / 4, Friction = 2.5;
    internal static readonly (double X, double Y)[] HullPoly = [(-30, +9), (+6, +9), (+34, +1), (+34, -8), (-30, -8)];

    private readonly bool _hardcore;
    private readonly WalkerTerrain _terrain = new();
    private readonly float[] _hullVertices = new float[HullPoly.Length * 2];
    private readonly BodyId[] _legs = new BodyId[4];
    private readonly JointId[] _joints = new JointId[4];
    private readonly bool[] _lowerContact = new bool[2];
    private readonly double[] _state = new double[24];
    private readonly (double X1, double Y1, double X2, double Y2)[] _lidar = new (double, double, double, double)[10];
    private readonly List<BodyId> _terrainBodies = [];
    private readonly BipedalWalkerScene _scene;
    private World? _world;
    private BodyId _hull;
    private bool _gameOver, _hasPrevShaping;
    private double _prevShaping, _scroll;

    /// <summary>Creates <c>BipedalWalker-v3</c>.</summary>
    public BipedalWalkerEnv() : this(new BipedalWalkerOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public BipedalWalkerEnv(BipedalWalkerOptions options) : this(options.Hardcore ? "BipedalWalkerHardcore-v3" : "BipedalWalker-v3", options) { }

    private protected BipedalWalkerEnv(string id, BipedalWalkerOptions options) : base(id, ObservationBox(), new Box(-1f, 1f, [4]))
    {
        _hardcore = options.Hardcore;
        for (int i = 0; i < HullPoly.Length; i++)
        {
            _hullVertices[2 * i] = (float)(HullPoly[i].X / Scale);
            _hullVertices[2 * i + 1] = (float)(HullPoly[i].Y / Scale);
        }
        _scene = new BipedalWalkerScene(this);
    }

    /// <summary>True for the hardcore terrain.</summary>
    public bool Hardcore => _hardcore;

    /// <summary>The terrain points' x (Gymnasium's <c>terrain_x</c>).</summary>
    public ReadOnlySpan<double> TerrainX => _terrain.X;

    /// <summary>The terrain points' y (Gymnasium's <c>terrain_y</c>).</summary>
    public ReadOnlySpan<double> TerrainY => _terrain.Y;

    /// <summary>The hardcore obstacles as 4-corner polygons in creation order.</summary>
    public IReadOnlyList<(double X, double Y)[]> Obstacles => _terrain.Obstacles;

    /// <summary>The decorative clouds (five corners each).</summary>
    public IEnumerable<(double X, double Y)[]> Clouds => _terrain.Clouds.Select(c => c.Poly);

    internal World World => _world ?? throw new InvalidOperationException($"{Id}: no episode has started.");
    internal BodyId Hull => _hull;
    internal ReadOnlySpan<BodyId> Legs => _legs;
    internal ReadOnlySpan<float> HullVertices => _hullVertices;
    internal WalkerTerrain Terrain => _terrain;
    internal double Scroll => _scroll;
    internal ReadOnlySpan<(double X1, double Y1, double X2, double Y2)> Lidar => _lidar;

    private static Box ObservationBox()
    {
        float pi = (float)Math.PI;
        float[] low = [-pi, -5f, -5f, -5f, -pi, -5f, -pi, -5f, -0f, -pi, -5f, -pi, -5f, -0f, .. Enumerable.Repeat(-1f, 10)];
        float[] high = [pi, 5f, 5f, 5f, pi, 5f, pi, 5f, 5f, pi, 5f, pi, 5f, 5f, .. Enumerable.Repeat(1f, 10)];
        return new Box(low, high);
    }

    protected override void StartEpisode(NumpyGenerator random)
    {
        _world?.Dispose();
        var world = _world = new World(0f, -10f);
        _gameOver = false;
        _hasPrevShaping = false;
        _scroll = 0.0;
        _lowerContact[0] = _lowerContact[1] = false;
        _terrainBodies.Clear();

        _terrain.Generate(random, _hardcore);
        var solid = FixtureDef.Default with { Friction = (float)Friction };
        Span<float> corners = stackalloc float[8];
        foreach (var poly in _terrain.Obstacles)
        {
            for (int k = 0; k < 4; k++)
            {
                corners[2 * k] = (float)poly[k].X;
                corners[2 * k + 1] = (float)poly[k].Y;
            }
            var body = world.CreateBody(BodyType.Static, 0, 0);
            world.AddPolygon(body, corners, solid);
            _terrainBodies.Add(body);
        }
        for (int i = 0; i < TerrainLength - 1; i++)
        {
            var body = world.CreateBody(BodyType.Static, 0, 0);
            world.AddEdge(body, (float)_terrain.X[i], (float)_terrain.Y[i], (float)_terrain.X[i + 1], (float)_terrain.Y[i + 1], solid);
            _terrainBodies.Add(body);
        }

        const double initX = TerrainStep * TerrainStartPad / 2, initY = TerrainHeight + 2 * LegH;
        _hull = world.CreateBody(BodyType.Dynamic, (float)initX, (float)initY, 0f);
        world.AddPolygon(_hull, _hullVertices, new FixtureDef { Density = 5f, Friction = 0.1f, CategoryBits = 0x0020, MaskBits = 0x001 });
        world.ApplyForceToCenter(_hull, (float)random.Uniform(-InitialRandom, InitialRandom), 0f, wake: true);

        var legFixture = new FixtureDef { Density = 1f, Friction = 0.2f, CategoryBits = 0x0020, MaskBits = 0x001 };
        for (int k = 0; k < 2; k++)
        {
            int i = k == 0 ? -1 : +1;
            var leg = _legs[2 * k] = world.CreateBody(BodyType.Dynamic, (float)initX, (float)(initY - LegH / 2 - LegDown), (float)(i * 0.05));
            world.AddBox(leg, (float)(LegW / 2), (float)(LegH / 2), legFixture);
            _joints[2 * k] = world.CreateRevoluteJoint(new RevoluteJointDef
            {
                BodyA = _hull, BodyB = leg, AnchorAY = (float)LegDown, AnchorBY = (float)(LegH / 2),
                EnableMotor = 1, EnableLimit = 1, MaxMotorTorque = (float)MotorsTorque, MotorSpeed = i, LowerAngle = -0.8f, UpperAngle = 1.1f,
            });
            var lower = _legs[2 * k + 1] = world.CreateBody(BodyType.Dynamic, (float)initX, (float)(initY - LegH * 3 / 2 - LegDown), (float)(i * 0.05));
            world.AddBox(lower, (float)(0.8 * LegW / 2), (float)(LegH / 2), legFixture);
            _joints[2 * k + 1] = world.CreateRevoluteJoint(new RevoluteJointDef
            {
                BodyA = leg, BodyB = lower, AnchorAY = (float)(-LegH / 2), AnchorBY = (float)(LegH / 2),
                EnableMotor = 1, EnableLimit = 1, MaxMotorTorque = (float)MotorsTorque, MotorSpeed = 1, LowerAngle = -1.6f, UpperAngle = -0.1f,
            });
        }
        _scene.StartEpisode();
        Advance(stackalloc float[4]);
    }

    protected override void CheckAction(ReadOnlySpan<float> action) => CheckFiniteAction(action);

    protected override StepOutcome Advance(ReadOnlySpan<float> action)
    {
        var world = _world!;
        for (int j = 0; j < 4; j++)
        {
            double a = action[j];
            world.SetMotorSpeed(_joints[j], (float)((j % 2 == 0 ? SpeedHip : SpeedKnee) * Math.Sign(a)));
            world.SetMaxMotorTorque(_joints[j], (float)(MotorsTorque * Math.Clamp(Math.Abs(a), 0, 1)));
        }

        world.Step((float)(1.0 / Fps), 6 * 30, 2 * 30);
        foreach (var contact in world.ContactEvents)
        {
            if (contact.Begin && contact.Involves(_hull)) _gameOver = true;
            for (int k = 0; k < 2; k++)
                if (contact.Involves(_legs[2 * k + 1])) _lowerContact[k] = contact.Begin;
        }

        var hull = world.GetState(_hull);
        var s = _state;
        for (int i = 0; i < 10; i++)
        {
            double x1 = hull.X, y1 = hull.Y;
            double x2 = hull.X + Math.Sin(1.5 * i / 10.0) * LidarRange, y2 = hull.Y - Math.Cos(1.5 * i / 10.0) * LidarRange;
            bool found = world.RayCastClosest((float)x1, (float)y1, (float)x2, (float)y2, 0x0001, out var hit);
            s[14 + i] = found ? hit.Fraction : 1.0;
            _lidar[i] = found ? (x1, y1, hit.X, hit.Y) : (x1, y1, x2, y2);
        }

        s[0] = hull.Angle;
        s[1] = 2.0 * hull.AngularVelocity / Fps;
        s[2] = 0.3 * hull.VelocityX * (ViewportW / Scale) / Fps;
        s[3] = 0.3 * hull.VelocityY * (ViewportH / Scale) / Fps;
        for (int k = 0; k < 2; k++)
        {
            var (hipAngle, hipSpeed) = world.GetJointState(_joints[2 * k]);
            var (kneeAngle, kneeSpeed) = world.GetJointState(_joints[2 * k + 1]);
            s[4 + 5 * k] = hipAngle;
            s[5 + 5 * k] = hipSpeed / SpeedHip;
            s[6 + 5 * k] = kneeAngle + 1.0;
            s[7 + 5 * k] = kneeSpeed / SpeedKnee;
            s[8 + 5 * k] = _lowerContact[k] ? 1.0 : 0.0;
        }

        _scroll = hull.X - ViewportW / Scale / 5;
        double shaping = 130 * (double)hull.X / Scale;
        shaping -= 5.0 * Math.Abs(s[0]);
        double reward = _hasPrevShaping ? shaping - _prevShaping : 0;
        _prevShaping = shaping;
        _hasPrevShaping = true;
        const double torqueCost = 0.00035 * MotorsTorque;
        for (int j = 0; j < 4; j++) reward -= torqueCost * Math.Clamp(Math.Abs((double)action[j]), 0, 1);

        bool terminated = false;
        if (_gameOver || hull.X < 0)
        {
            reward = -100;
            terminated = true;
        }
        if (hull.X > (TerrainLength - TerrainGrass) * TerrainStep) terminated = true;
        return new StepOutcome(reward, terminated, false);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        for (int i = 0; i < 24; i++) observation[i] = (float)_state[i];
    }

    protected override RgbFrame Draw() => _scene.Draw();

    protected override void WriteRenderState(BinaryWriter writer) => _scene.WriteState(writer);

    protected override void ReadRenderState(BinaryReader reader) => _scene.ReadState(reader);

    protected override void DisposeWorlds()
    {
        _world?.Dispose();
        _world = null;
    }
}

/// <summary>Gymnasium's <c>BipedalWalkerHardcore-v3</c>: <see cref="BipedalWalkerEnv"/> on terrain with stumps, stairs and pits.</summary>
[Environment("BipedalWalkerHardcore-v3", MaxEpisodeSteps = 2000, RewardThreshold = 300, Description = "The walker over stumps, stairs and pits (Box2D).")]
public sealed class BipedalWalkerHardcoreEnv : BipedalWalkerEnv
{
    /// <summary>Creates <c>BipedalWalkerHardcore-v3</c>.</summary>
    public BipedalWalkerHardcoreEnv() : this(new BipedalWalkerHardcoreOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public BipedalWalkerHardcoreEnv(BipedalWalkerHardcoreOptions options) : base("BipedalWalkerHardcore-v3", options) { }
}
