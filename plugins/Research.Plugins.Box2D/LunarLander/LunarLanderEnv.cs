using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Seeding;

namespace Research.Plugins.Box2D.LunarLander;

/// <summary>Options of <see cref="LunarLanderEnv"/> (Gymnasium's <c>gym.make("LunarLander-v2", …)</c> keyword arguments).</summary>
public record LunarLanderOptions
{
    /// <summary>Two continuous throttles (Box(−1, 1, (2,))) instead of four discrete actions.</summary>
    [Option("Continuous throttles: main engine and side engines in [-1, 1] (LunarLanderContinuous-v2).")]
    public bool Continuous { get; init; }

    /// <summary>Gravity along y; Gymnasium requires −12 &lt; gravity &lt; 0.</summary>
    [Option("Gravity along y, between -12 and 0 (both excluded).", Min = -12, Max = 0)]
    public double Gravity { get; init; } = -10.0;

    /// <summary>Blows a wind and a turbulence torque on the lander while its legs are off the ground.</summary>
    [Option("Apply wind and turbulence while no leg touches the ground.")]
    public bool EnableWind { get; init; }

    /// <summary>Largest wind force (Gymnasium recommends 0 to 20).</summary>
    [Option("Largest linear wind force (recommended 0 to 20).")]
    public double WindPower { get; init; } = 15.0;

    /// <summary>Largest turbulence torque (Gymnasium recommends 0 to 2).</summary>
    [Option("Largest rotational wind torque (recommended 0 to 2).")]
    public double TurbulencePower { get; init; } = 1.5;
}

/// <summary>Options of <see cref="LunarLanderContinuousEnv"/>: the same, continuous by default.</summary>
public sealed record LunarLanderContinuousOptions : LunarLanderOptions
{
    /// <summary>Continuous throttles by default.</summary>
    public LunarLanderContinuousOptions() => Continuous = true;
}

/// <summary>Gymnasium 0.29.1's <c>LunarLander-v2</c> on Box2D: land between the flags. Actions: 0 nothing, 1 left engine, 2 main engine, 3 right engine.</summary>
/// <remarks>
/// Observation: x, y, vx, vy, angle, angular velocity (Gymnasium's scalings), and one contact flag per leg. Reward: the
/// change of Gymnasium's shaping (distance, speed, tilt, leg contacts), minus 0.3 per main-engine and 0.03 per side-engine
/// frame; −100 for a crash or leaving the screen, +100 when Box2D puts the lander to sleep. Arithmetic is float64 as in
/// Python with NumPy 1 (float32 actions widened first); Box2D takes and returns float32.
/// Departure from 0.29.1, following Gymnasium 1.0: with wind, the wind and turbulence offsets are drawn from the env's
/// generator at each reset (0.29.1 drew them once, from NumPy's unseeded global generator, so wind episodes never repeated).
/// </remarks>
[Environment("LunarLander-v2", MaxEpisodeSteps = 1000, RewardThreshold = 200, Description = "Land a rocket on the pad between the flags (Box2D).")]
public class LunarLanderEnv : Box2DEnv
{
    internal const double Fps = 50, Scale = 30.0, MainEnginePower = 13.0, SideEnginePower = 0.6, InitialRandom = 1000.0;
    internal const double LegAway = 20, LegDown = 18, LegW = 2, LegH = 8, LegSpringTorque = 40;
    internal const double SideEngineHeight = 14, SideEngineAway = 12, MainEngineYLocation = 4;
    internal const int ViewportW = 600, ViewportH = 400, Chunks = 11;
    internal static readonly (double X, double Y)[] LanderPoly = [(-14, +17), (-17, 0), (-17, -10), (+17, -10), (+17, 0), (+14, +17)];

    private readonly LunarLanderOptions _options;
    private readonly bool _continuous;
    private readonly float[] _landerVertices = new float[LanderPoly.Length * 2];
    private readonly double[] _smoothY = new double[Chunks];
    private readonly double[] _heights = new double[Chunks + 1];
    private readonly bool[] _legContact = new bool[2];
    private readonly BodyId[] _legs = new BodyId[2];
    private World? _world;
    private BodyId _lander;
    private bool _gameOver, _hasPrevShaping;
    private double _prevShaping;
    private long _windIdx, _torqueIdx;
    private readonly double[] _state = new double[8];
    private readonly LunarLanderScene _scene;

    /// <summary>Creates <c>LunarLander-v2</c> with default options.</summary>
    public LunarLanderEnv() : this(new LunarLanderOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public LunarLanderEnv(LunarLanderOptions options) : this(options.Continuous ? "LunarLanderContinuous-v2" : "LunarLander-v2", options) { }

    private protected LunarLanderEnv(string id, LunarLanderOptions options)
        : base(id, ObservationBox(), options.Continuous ? new Box(-1f, 1f, [2]) : new Discrete(4))
    {
        if (!(options.Gravity > -12.0 && options.Gravity < 0.0))
            throw new ArgumentException($"{id}: option gravity = {options.Gravity} must be between -12 and 0 (both excluded), as Gymnasium asserts.", nameof(options));
        if (!double.IsFinite(options.WindPower) || !double.IsFinite(options.TurbulencePower))
            throw new ArgumentException($"{id}: options wind_power = {options.WindPower} and turbulence_power = {options.TurbulencePower} must be finite.", nameof(options));
        _options = options;
        _continuous = options.Continuous;
        for (int i = 0; i < LanderPoly.Length; i++)
        {
            _landerVertices[2 * i] = (float)(LanderPoly[i].X / Scale);
            _landerVertices[2 * i + 1] = (float)(LanderPoly[i].Y / Scale);
        }
        _scene = new LunarLanderScene(this);
    }

    /// <summary>The options this environment was made with.</summary>
    public LunarLanderOptions Options => _options;

    /// <summary>The terrain heights at the 11 chunk edges, x = 2·i (Gymnasium's <c>smooth_y</c>).</summary>
    public ReadOnlySpan<double> TerrainHeights => _smoothY;

    /// <summary>The helipad's height (Gymnasium's <c>helipad_y</c>): H / 4.</summary>
    public static double HelipadY => ViewportH / Scale / 4;

    /// <summary>The wind and turbulence offsets of the current step (Gymnasium's <c>wind_idx</c>, <c>torque_idx</c>).</summary>
    public (long Wind, long Torque) WindIndices => (_windIdx, _torqueIdx);

    internal World World => _world ?? throw new InvalidOperationException($"{Id}: no episode has started.");
    internal BodyId Lander => _lander;
    internal ReadOnlySpan<BodyId> Legs => _legs;
    internal ReadOnlySpan<float> LanderVertices => _landerVertices;

    private static Box ObservationBox() =>
        new([-1.5f, -1.5f, -5f, -5f, -(float)Math.PI, -5f, -0f, -0f], [1.5f, 1.5f, 5f, 5f, (float)Math.PI, 5f, 1f, 1f]);

    protected override void StartEpisode(NumpyGenerator random)
    {
        _world?.Dispose();
        var world = _world = new World(0f, (float)_options.Gravity);
        _gameOver = false;
        _hasPrevShaping = false;
        _legContact[0] = _legContact[1] = false;

        const double w = ViewportW / Scale, h = ViewportH / Scale;
        for (int i = 0; i < _heights.Length; i++) _heights[i] = random.Uniform(0, h / 2);
        for (int i = Chunks / 2 - 2; i <= Chunks / 2 + 2; i++) _heights[i] = HelipadY;
        for (int i = 0; i < Chunks; i++)
            _smoothY[i] = 0.33 * (_heights[(i - 1 + _heights.Length) % _heights.Length] + _heights[i] + _heights[i + 1]);

        var moon = world.CreateBody(BodyType.Static, 0, 0);
        world.AddEdge(moon, 0, 0, (float)w, 0, FixtureDef.Default);
        var terrain = FixtureDef.Default with { Friction = 0.1f };
        for (int i = 0; i < Chunks - 1; i++)
            world.AddEdge(moon, (float)ChunkX(i), (float)_smoothY[i], (float)ChunkX(i + 1), (float)_smoothY[i + 1], terrain);

        const double initialX = ViewportW / Scale / 2, initialY = ViewportH / Scale;
        _lander = world.CreateBody(BodyType.Dynamic, (float)initialX, (float)initialY, 0f);
        world.AddPolygon(_lander, _landerVertices, new FixtureDef { Density = 5f, Friction = 0.1f, CategoryBits = 0x0010, MaskBits = 0x001 });
        double forceX = random.Uniform(-InitialRandom, InitialRandom);
        double forceY = random.Uniform(-InitialRandom, InitialRandom);
        world.ApplyForceToCenter(_lander, (float)forceX, (float)forceY, wake: true);
        if (_options.EnableWind)
        {
            _windIdx = random.Integers(-9999, 9999);
            _torqueIdx = random.Integers(-9999, 9999);
        }

        var legFixture = new FixtureDef { Density = 1f, Friction = 0.2f, CategoryBits = 0x0020, MaskBits = 0x001 };
        for (int k = 0; k < 2; k++)
        {
            int i = k == 0 ? -1 : +1;
            var leg = _legs[k] = world.CreateBody(BodyType.Dynamic, (float)(initialX - i * LegAway / Scale), (float)initialY, (float)(i * 0.05));
            world.AddBox(leg, (float)(LegW / Scale), (float)(LegH / Scale), legFixture);
            world.CreateRevoluteJoint(new RevoluteJointDef
            {
                BodyA = _lander, BodyB = leg,
                AnchorBX = (float)(i * LegAway / Scale), AnchorBY = (float)(LegDown / Scale),
                EnableMotor = 1, EnableLimit = 1, MaxMotorTorque = (float)LegSpringTorque, MotorSpeed = (float)(0.3 * i),
                LowerAngle = i == -1 ? (float)(+0.9 - 0.5) : -0.9f,
                UpperAngle = i == -1 ? +0.9f : (float)(-0.9 + 0.5),
            });
        }
        _scene.StartEpisode();
        Span<float> noop = stackalloc float[_continuous ? 2 : 1];
        Advance(noop);
    }

    protected override void CheckAction(ReadOnlySpan<float> action)
    {
        if (_continuous) CheckFiniteAction(action);
        else DiscreteAction(action, 4);
    }

    protected override StepOutcome Advance(ReadOnlySpan<float> action)
    {
        var world = _world!;
        if (_options.EnableWind && !(_legContact[0] || _legContact[1]))
        {
            double windMag = Math.Tanh(Math.Sin(0.02 * _windIdx) + Math.Sin(Math.PI * 0.01 * _windIdx)) * _options.WindPower;
            _windIdx++;
            world.ApplyForceToCenter(_lander, (float)windMag, 0f, wake: true);
            double torqueMag = Math.Tanh(Math.Sin(0.02 * _torqueIdx) + Math.Sin(Math.PI * 0.01 * _torqueIdx)) * _options.TurbulencePower;
            _torqueIdx++;
            world.ApplyTorque(_lander, (float)torqueMag, wake: true);
        }

        // NumPy 1 widens the clipped float32 action to float64 before any arithmetic.
        double main = 0, lateral = 0;
        int discrete = 0;
        if (_continuous)
        {
            main = Math.Clamp(action[0], -1f, 1f);
            lateral = Math.Clamp(action[1], -1f, 1f);
        }
        else discrete = (int)action[0];

        var body = world.GetState(_lander);
        double tipX = Math.Sin(body.Angle), tipY = Math.Cos(body.Angle);
        double sideX = -tipY, sideY = tipX;
        double dispersion0 = EpisodeRandom.Uniform(-1.0, +1.0) / Scale;
        double dispersion1 = EpisodeRandom.Uniform(-1.0, +1.0) / Scale;

        double mPower = 0.0;
        if ((_continuous && main > 0.0) || (!_continuous && discrete == 2))
        {
            mPower = _continuous ? (Math.Clamp(main, 0.0, 1.0) + 1.0) * 0.5 : 1.0;
            double ox = tipX * (MainEngineYLocation / Scale + 2 * dispersion0) + sideX * dispersion1;
            double oy = -tipY * (MainEngineYLocation / Scale + 2 * dispersion0) - sideY * dispersion1;
            double px = body.X + ox, py = body.Y + oy;
            _scene.EmitParticle(3.5, px, py, mPower, ox * MainEnginePower * mPower, oy * MainEnginePower * mPower);
            world.ApplyLinearImpulse(_lander, (float)(-ox * MainEnginePower * mPower), (float)(-oy * MainEnginePower * mPower), (float)px, (float)py, wake: true);
        }

        double sPower = 0.0;
        if ((_continuous && Math.Abs(lateral) > 0.5) || (!_continuous && (discrete == 1 || discrete == 3)))
        {
            double direction;
            if (_continuous)
            {
                direction = Math.Sign(lateral);
                sPower = Math.Clamp(Math.Abs(lateral), 0.5, 1.0);
            }
            else
            {
                direction = discrete - 2;
                sPower = 1.0;
            }
            double ox = tipX * dispersion0 + sideX * (3 * dispersion1 + direction * SideEngineAway / Scale);
            double oy = -tipY * dispersion0 - sideY * (3 * dispersion1 + direction * SideEngineAway / Scale);
            double px = body.X + ox - tipX * 17 / Scale, py = body.Y + oy + tipY * SideEngineHeight / Scale;
            _scene.EmitParticle(0.7, px, py, sPower, ox * SideEnginePower * sPower, oy * SideEnginePower * sPower);
            world.ApplyLinearImpulse(_lander, (float)(-ox * SideEnginePower * sPower), (float)(-oy * SideEnginePower * sPower), (float)px, (float)py, wake: true);
        }

        world.Step((float)(1.0 / Fps), 6 * 30, 2 * 30);
        _scene.Step();
        foreach (var contact in world.ContactEvents)
        {
            if (contact.Begin && contact.Involves(_lander)) _gameOver = true;
            for (int i = 0; i < 2; i++)
                if (contact.Involves(_legs[i])) _legContact[i] = contact.Begin;
        }

        body = world.GetState(_lander);
        var s = _state;
        s[0] = (body.X - ViewportW / Scale / 2) / (ViewportW / Scale / 2);
        s[1] = (body.Y - (HelipadY + LegDown / Scale)) / (ViewportH / Scale / 2);
        s[2] = body.VelocityX * (ViewportW / Scale / 2) / Fps;
        s[3] = body.VelocityY * (ViewportH / Scale / 2) / Fps;
        s[4] = body.Angle;
        s[5] = 20.0 * body.AngularVelocity / Fps;
        s[6] = _legContact[0] ? 1.0 : 0.0;
        s[7] = _legContact[1] ? 1.0 : 0.0;

        double shaping = -100 * Math.Sqrt(s[0] * s[0] + s[1] * s[1]) - 100 * Math.Sqrt(s[2] * s[2] + s[3] * s[3])
                         - 100 * Math.Abs(s[4]) + 10 * s[6] + 10 * s[7];
        double reward = _hasPrevShaping ? shaping - _prevShaping : 0;
        _prevShaping = shaping;
        _hasPrevShaping = true;
        reward -= mPower * 0.30;
        reward -= sPower * 0.03;

        bool terminated = false;
        if (_gameOver || Math.Abs(s[0]) >= 1.0)
        {
            terminated = true;
            reward = -100;
        }
        if (!body.Awake)
        {
            terminated = true;
            reward = +100;
        }
        return new StepOutcome(reward, terminated, false);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        for (int i = 0; i < 8; i++) observation[i] = (float)_state[i];
    }

    protected override RgbFrame Draw() => _scene.Draw();

    protected override void DisposeWorlds()
    {
        _world?.Dispose();
        _world = null;
        _scene.Dispose();
    }

    internal static double ChunkX(int i) => ViewportW / Scale / (Chunks - 1) * i;

    internal bool IsReplaying => Replaying;
}

/// <summary>Gymnasium's <c>LunarLanderContinuous-v2</c>: <see cref="LunarLanderEnv"/> with continuous throttles (main engine, side engines).</summary>
[Environment("LunarLanderContinuous-v2", MaxEpisodeSteps = 1000, RewardThreshold = 200, Description = "Land a rocket with continuous throttles (Box2D).")]
public sealed class LunarLanderContinuousEnv : LunarLanderEnv
{
    /// <summary>Creates <c>LunarLanderContinuous-v2</c> with default options.</summary>
    public LunarLanderContinuousEnv() : this(new LunarLanderContinuousOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public LunarLanderContinuousEnv(LunarLanderContinuousOptions options) : base("LunarLanderContinuous-v2", options) { }
}
