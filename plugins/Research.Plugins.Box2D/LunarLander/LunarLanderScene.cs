using Research.Abstractions.Environments;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Rendering;
using static Research.Plugins.Box2D.LunarLander.LunarLanderEnv;

namespace Research.Plugins.Box2D.LunarLander;

/// <summary>Draws <see cref="LunarLanderEnv"/> as Gymnasium's <c>rgb_array</c> (600×400): black sky, white ground, the lander and
/// its legs, the flags, and the engines' exhaust particles.</summary>
/// <remarks>
/// Gymnasium adds particles to the physics world only when a render mode is set ("just a decoration"); here they live in a
/// world of their own holding a copy of the ground, so rendering can never change the lander's physics. They appear once
/// <see cref="Draw"/> has been called (as with <c>render_mode="rgb_array"</c> from then on), fade by 0.15 of life per frame,
/// and are not part of saved states.
/// </remarks>
internal sealed class LunarLanderScene(LunarLanderEnv env) : IDisposable
{
    private static readonly Rgb Body1 = new(128, 102, 230), Body2 = new(77, 77, 128), Flag = new(204, 204, 0);

    private readonly List<(BodyId Body, double Ttl)> _particles = [];
    private World? _decoration;
    private bool _enabled;

    /// <summary>Starts the particles' world over for a new terrain (when rendering).</summary>
    public void StartEpisode()
    {
        _particles.Clear();
        _decoration?.Dispose();
        _decoration = null;
        if (_enabled) BuildDecoration();
    }

    /// <summary>Adds one exhaust particle with Gymnasium's mass, life and impulse (only once rendering has started).</summary>
    public void EmitParticle(double mass, double x, double y, double ttl, double impulseX, double impulseY)
    {
        if (_decoration is not { } world || env.IsReplaying) return;
        var particle = world.CreateBody(BodyType.Dynamic, (float)x, (float)y, 0f);
        world.AddCircle(particle, 0, 0, (float)(2 / Scale),
            new FixtureDef { Density = (float)mass, Friction = 0.1f, Restitution = 0.3f, CategoryBits = 0x0100, MaskBits = 0x001 });
        world.ApplyLinearImpulse(particle, (float)impulseX, (float)impulseY, (float)x, (float)y, wake: true);
        _particles.Add((particle, ttl));
        CleanParticles();
    }

    /// <summary>Moves the particles along with the physics step.</summary>
    public void Step()
    {
        if (_decoration is { } world && _particles.Count > 0 && !env.IsReplaying) world.Step((float)(1.0 / Fps), 6 * 30, 2 * 30);
    }

    public RgbFrame Draw()
    {
        if (!_enabled)
        {
            _enabled = true;
            BuildDecoration();
        }
        for (int i = 0; i < _particles.Count; i++) _particles[i] = (_particles[i].Body, _particles[i].Ttl - 0.15);
        CleanParticles();

        var canvas = new Canvas(ViewportW, ViewportH);
        const double h = ViewportH / Scale;
        var terrain = env.TerrainHeights;
        Span<(double X, double Y)> corners = stackalloc (double, double)[8];
        for (int i = 0; i < Chunks - 1; i++)
        {
            double x1 = ChunkX(i) * Scale, x2 = ChunkX(i + 1) * Scale;
            corners[0] = (x1, terrain[i] * Scale);
            corners[1] = (x2, terrain[i + 1] * Scale);
            corners[2] = (x2, h * Scale);
            corners[3] = (x1, h * Scale);
            canvas.FillPolygon(corners[..4], Rgb.Black);
        }

        if (_decoration is { } decoration)
            foreach (var (particle, ttl) in _particles)
            {
                var state = decoration.GetState(particle);
                var color = new Rgb(Channel(0.15 + ttl), Channel(0.5 * ttl), Channel(0.5 * ttl));
                canvas.FillCircle(state.X * Scale, state.Y * Scale, 2, color);
            }

        var world = env.World;
        DrawPolygon(canvas, world.GetState(env.Lander), env.LanderVertices, corners);
        Span<float> leg = stackalloc float[8];
        const float hw = (float)(LegW / Scale), hh = (float)(LegH / Scale);
        leg[0] = -hw; leg[1] = -hh; leg[2] = hw; leg[3] = -hh; leg[4] = hw; leg[5] = hh; leg[6] = -hw; leg[7] = hh;
        foreach (var body in env.Legs) DrawPolygon(canvas, world.GetState(body), leg, corners);

        foreach (double padX in (ReadOnlySpan<double>)[ChunkX(Chunks / 2 - 1), ChunkX(Chunks / 2 + 1)])
        {
            double x = padX * Scale, flagY1 = HelipadY * Scale, flagY2 = flagY1 + 50;
            canvas.DrawLine(x, flagY1, x, flagY2, Rgb.White);
            canvas.FillPolygon([(x, flagY2), (x, flagY2 - 10), (x + 25, flagY2 - 5)], Flag);
        }
        return canvas.ToFrame();
    }

    public void Dispose()
    {
        _decoration?.Dispose();
        _decoration = null;
        _particles.Clear();
    }

    private void BuildDecoration()
    {
        var world = _decoration = new World(0f, (float)env.Options.Gravity);
        var ground = world.CreateBody(BodyType.Static, 0, 0);
        var terrain = env.TerrainHeights;
        for (int i = 0; i < Chunks - 1; i++)
            world.AddEdge(ground, (float)ChunkX(i), (float)terrain[i], (float)ChunkX(i + 1), (float)terrain[i + 1], FixtureDef.Default with { Friction = 0.1f });
    }

    // Gymnasium drops particles from the front of its list while the first one has run out of life.
    private void CleanParticles()
    {
        while (_particles.Count > 0 && _particles[0].Ttl < 0)
        {
            _decoration!.DestroyBody(_particles[0].Body);
            _particles.RemoveAt(0);
        }
    }

    private static void DrawPolygon(Canvas canvas, BodyState state, ReadOnlySpan<float> vertices, Span<(double X, double Y)> corners)
    {
        int n = vertices.Length / 2;
        for (int i = 0; i < n; i++)
        {
            var (x, y) = state.WorldPoint(vertices[2 * i], vertices[2 * i + 1]);
            corners[i] = (x * Scale, y * Scale);
        }
        canvas.FillPolygon(corners[..n], Body1);
        for (int i = 0; i < n; i++)
            canvas.DrawLine(corners[i].X, corners[i].Y, corners[(i + 1) % n].X, corners[(i + 1) % n].Y, Body2);
    }

    private static byte Channel(double fraction) => (byte)Math.Clamp((int)(Math.Max(0.2, fraction) * 255), 0, 255);
}
