using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Seeding;

namespace Research.Plugins.Box2D.CarRacing;

/// <summary>Options of <see cref="CarRacingEnv"/> (Gymnasium's <c>gym.make("CarRacing-v2", …)</c> keyword arguments).</summary>
public sealed record CarRacingOptions
{
    /// <summary>Continuous actions (steer, gas, brake); otherwise five discrete ones.</summary>
    [Option("Continuous actions [steer, gas, brake]; false: 0 nothing, 1 left, 2 right, 3 gas, 4 brake.")]
    public bool Continuous { get; init; } = true;

    /// <summary>Fraction of the tiles to visit before crossing the start again counts as a lap.</summary>
    [Option("Fraction of tiles to visit before reaching the start tile completes a lap.", Min = 0, Max = 1)]
    public double LapCompletePercent { get; init; } = 0.95;

    /// <summary>New random road, background and grass colours at every reset.</summary>
    [Option("Random road, background and grass colours at every reset.")]
    public bool DomainRandomize { get; init; }
}

/// <summary>Gymnasium 0.29.1's <c>CarRacing-v2</c> on Box2D: drive a top-down car round a random track from 96×96 RGB pixels.</summary>
/// <remarks>
/// Reward: −0.1 per step and +1000/N for each of the N track tiles the first time a wheel touches it; −100 (and the end) when the car
/// leaves the playfield. The episode is truncated (not terminated) when every tile was visited, or when the car reaches the
/// start tile having visited more than <c>lap_complete_percent</c> of them. The observation is Gymnasium's <c>state_pixels</c> view
/// (car-centred, rotating with the car, zooming in over the first second, with the speed/ABS/steering/gyro bars and the score),
/// drawn with the project's rasterizer straight at 96×96 from 2×2 samples per pixel instead of pygame's anti-aliased
/// 1000×800 picture shrunk by <c>smoothscale</c>: same colours, zoom and layout, not the same edge pixels.
/// Float64 arithmetic as in Python with NumPy 1 (float32 actions widened first).
/// </remarks>
[Environment("CarRacing-v2", MaxEpisodeSteps = 1000, RewardThreshold = 900, Description = "Drive round a random track from pixels (Box2D).")]
public sealed class CarRacingEnv : Box2DEnv
{
    internal const int StateW = 96, StateH = 96, VideoW = 600, VideoH = 400, WindowW = 1000, WindowH = 800;
    internal const double Scale = 6.0, TrackRad = 900 / Scale, Playfield = 2000 / Scale, Fps = 50, Zoom = 2.7;
    internal const double TrackDetailStep = 21 / Scale, TrackTurnRate = 0.31, TrackWidth = 40 / Scale, BorderWidth = 8 / Scale;
    internal const int BorderMinCount = 4;
    internal const double GrassDim = Playfield / 20.0;
    internal static readonly double MaxShapeDim = Math.Max(GrassDim, Math.Max(TrackWidth, TrackDetailStep)) * Math.Sqrt(2) * Zoom * Scale;

    private readonly CarRacingOptions _options;
    private readonly CarRacingRenderer _observationRenderer;
    private CarRacingRenderer? _videoRenderer;
    private World? _world;
    private RaceTrack? _track;
    private Car? _car;
    private BodyId _firstTile;
    private bool[] _visited = [];
    private double[][] _tileColors = [];
    private int _tilesVisited;
    private double _reward, _prevReward, _time;
    private bool _newLap;

    /// <summary>Creates <c>CarRacing-v2</c> with continuous actions.</summary>
    public CarRacingEnv() : this(new CarRacingOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public CarRacingEnv(CarRacingOptions options)
        : base("CarRacing-v2", new Box(0, 255, [StateH, StateW, 3], "uint8"),
               options.Continuous ? new Box([-1f, 0f, 0f], [1f, 1f, 1f]) : new Discrete(5))
    {
        if (!double.IsFinite(options.LapCompletePercent))
            throw new ArgumentException($"CarRacing-v2: option lap_complete_percent = {options.LapCompletePercent} must be a finite number.", nameof(options));
        _options = options;
        _observationRenderer = new CarRacingRenderer(StateW, StateH, drawSkidMarks: false);
    }

    /// <summary>The options this environment was made with.</summary>
    public CarRacingOptions Options => _options;

    /// <summary>The track's centre line (Gymnasium's <c>self.track</c>): one point per tile.</summary>
    public IReadOnlyList<TrackPoint> Track => Current.Track.Points;

    /// <summary>Which track points carry a kerb (Gymnasium's <c>border</c>).</summary>
    public IReadOnlyList<bool> Border => Current.Track.Border;

    /// <summary>Gymnasium's <c>road_poly</c> in its order: each tile, followed by its kerb when it has one, with the colour drawn.</summary>
    public IEnumerable<(RoadPolygon Polygon, double[] Color)> RoadPolygons
    {
        get
        {
            var track = Current.Track;
            int kerb = 0;
            for (int i = 0; i < track.Tiles.Length; i++)
            {
                yield return (track.Tiles[i], _tileColors[i]);
                if (kerb < track.Kerbs.Count && track.Kerbs[kerb].Tile == i)
                    yield return (track.Kerbs[kerb++].Polygon, i % 2 == 0 ? [255.0, 255, 255] : [255.0, 0, 0]);
            }
        }
    }

    /// <summary>Road colour (Gymnasium's <c>road_color</c>; random with <c>domain_randomize</c>).</summary>
    public double[] RoadColor { get; private set; } = [102, 102, 102];

    /// <summary>Background colour (<c>bg_color</c>).</summary>
    public double[] BackgroundColor { get; private set; } = [102, 204, 102];

    /// <summary>Grass-patch colour (<c>grass_color</c>).</summary>
    public double[] GrassColor { get; private set; } = [102, 230, 102];

    /// <summary>Tiles visited so far (<c>tile_visited_count</c>).</summary>
    public int TilesVisited => _tilesVisited;

    /// <summary>The running score shown on screen (<c>self.reward</c>).</summary>
    public double Score => _reward;

    internal (World World, RaceTrack Track, Car Car) Current =>
        _world is { } w && _track is { } t && _car is { } c ? (w, t, c) : throw new InvalidOperationException($"{Id}: no episode has started.");

    internal double Time => _time;

    internal ReadOnlySpan<double[]> TileColors => _tileColors;

    /// <summary>The car's hull and wheels: hull pose and velocities, and per wheel its spin and steering joint angle.</summary>
    public (BodyState Hull, double[] WheelOmega, double[] WheelJointAngle) CarState()
    {
        var (world, _, car) = Current;
        var wheels = car.Wheels;
        var omega = new double[4];
        var joint = new double[4];
        for (int i = 0; i < 4; i++)
        {
            omega[i] = wheels[i].Omega;
            joint[i] = world.GetJointState(wheels[i].Joint).Angle;
        }
        return (world.GetState(car.Hull), omega, joint);
    }

    protected override void StartEpisode(NumpyGenerator random)
    {
        _world?.Dispose();
        var world = _world = new World(0f, 0f);
        _reward = _prevReward = 0.0;
        _tilesVisited = 0;
        _time = 0.0;
        _newLap = false;
        if (_options.DomainRandomize)
        {
            RoadColor = [random.Uniform(0, 210), random.Uniform(0, 210), random.Uniform(0, 210)];
            BackgroundColor = [random.Uniform(0, 210), random.Uniform(0, 210), random.Uniform(0, 210)];
            GrassColor = (double[])BackgroundColor.Clone();
            GrassColor[random.Integers(0, 3)] += 20;
        }

        var track = _track = RaceTrack.Generate(random);
        int n = track.Points.Length;
        _visited = new bool[n];
        _tileColors = new double[n][];
        Span<float> corners = stackalloc float[8];
        var tileFixture = FixtureDef.Default;
        for (int i = 0; i < n; i++)
        {
            var tile = track.Tiles[i];
            corners[0] = (float)tile.A.X; corners[1] = (float)tile.A.Y;
            corners[2] = (float)tile.B.X; corners[3] = (float)tile.B.Y;
            corners[4] = (float)tile.C.X; corners[5] = (float)tile.C.Y;
            corners[6] = (float)tile.D.X; corners[7] = (float)tile.D.Y;
            var body = world.CreateBody(BodyType.Static, 0, 0);
            if (i == 0) _firstTile = body;
            world.SetSensor(body, world.AddPolygon(body, corners, tileFixture), isSensor: true);
            double shade = 0.01 * (i % 3) * 255;
            _tileColors[i] = [RoadColor[0] + shade, RoadColor[1] + shade, RoadColor[2] + shade];
        }
        var start = track.Points[0];
        _car = new Car(world, start.Beta, start.X, start.Y);
        Simulate(ReadOnlySpan<float>.Empty);
    }

    protected override void CheckAction(ReadOnlySpan<float> action)
    {
        if (_options.Continuous) CheckFiniteAction(action);
        else DiscreteAction(action, 5);
    }

    protected override StepOutcome Advance(ReadOnlySpan<float> action) => Simulate(action);

    // Gymnasium's step(); an empty action is the reset's own step(None), which neither pays nor ends anything.
    private StepOutcome Simulate(ReadOnlySpan<float> action)
    {
        var (world, track, car) = Current;
        bool acted = action.Length > 0;
        if (acted)
        {
            if (_options.Continuous)
            {
                car.Steer(-(double)action[0]);
                car.Gas(action[1]);
                car.Brake(action[2]);
            }
            else
            {
                int a = (int)action[0];
                car.Steer(-0.6 * (a == 1 ? 1 : 0) + 0.6 * (a == 2 ? 1 : 0));
                car.Gas(0.2 * (a == 3 ? 1 : 0));
                car.Brake(0.8 * (a == 4 ? 1 : 0));
            }
        }
        car.Step(1.0 / Fps);
        world.Step((float)(1.0 / Fps), 6 * 30, 2 * 30);
        _time += 1.0 / Fps;
        foreach (var contact in world.ContactEvents) OnContact(contact, track, car);

        double stepReward = 0;
        bool terminated = false, truncated = false;
        if (acted)
        {
            _reward -= 0.1;
            stepReward = _reward - _prevReward;
            _prevReward = _reward;
            if (_tilesVisited == track.Points.Length || _newLap) truncated = true;
            var hull = world.GetState(car.Hull);
            if (Math.Abs(hull.X) > Playfield || Math.Abs(hull.Y) > Playfield)
            {
                terminated = true;
                stepReward = -100;
            }
        }
        return new StepOutcome(stepReward, terminated, truncated);
    }

    // Gymnasium's FrictionDetector: any contact resets the tile's colour; a wheel's contacts count its tiles and visit them.
    private void OnContact(ContactEvent contact, RaceTrack track, Car car)
    {
        int tile = TileIndex(contact.BodyA, track);
        BodyId other = contact.BodyB;
        if (TileIndex(contact.BodyB, track) is var b && b >= 0)
        {
            tile = b;
            other = contact.BodyA;
        }
        if (tile < 0) return;
        RoadColor.CopyTo(_tileColors[tile], 0);
        Wheel? wheel = null;
        foreach (var w in car.Wheels)
            if (w.Body == other) wheel = w;
        if (wheel is null) return;
        if (!contact.Begin)
        {
            wheel.Tiles--;
            return;
        }
        wheel.Tiles++;
        if (_visited[tile]) return;
        _visited[tile] = true;
        _reward += 1000.0 / track.Points.Length;
        _tilesVisited++;
        if (tile == 0 && (double)_tilesVisited / track.Points.Length > _options.LapCompletePercent) _newLap = true;
    }

    private int TileIndex(BodyId body, RaceTrack track)
    {
        int index = body.Value - _firstTile.Value;
        return index >= 0 && index < track.Points.Length ? index : -1;
    }

    protected override void WriteObservation(Span<float> observation) => _observationRenderer.Render(this, observation);

    protected override RgbFrame Draw() => (_videoRenderer ??= new CarRacingRenderer(VideoW, VideoH, drawSkidMarks: true)).RenderFrame(this);

    protected override void DisposeWorlds()
    {
        _world?.Dispose();
        _world = null;
        _car = null;
        _track = null;
    }
}
