using Research.Abstractions.Environments;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Rendering;
using static Research.Plugins.Box2D.BipedalWalker.BipedalWalkerEnv;

namespace Research.Plugins.Box2D.BipedalWalker;

/// <summary>Draws <see cref="BipedalWalkerEnv"/> as Gymnasium's <c>rgb_array</c>: a 600×400 window following the hull, sky, parallax
/// clouds, grass, obstacles, one sweeping lidar ray, the walker and the start flag.</summary>
internal sealed class BipedalWalkerScene(BipedalWalkerEnv env)
{
    private static readonly Rgb Sky = new(215, 215, 255), Ground = new(102, 153, 76), Obstacle1 = Rgb.White, Obstacle2 = new(153, 153, 153);
    private static readonly Rgb Hull1 = new(127, 51, 229), Hull2 = new(76, 76, 127), Laser = new(255, 0, 0), FlagRed = new(230, 51, 0);

    private int _lidarRender;

    public void StartEpisode() => _lidarRender = 0;

    public RgbFrame Draw()
    {
        double scroll = env.Scroll;
        // Gymnasium draws on a surface as wide as the scroll and keeps its rightmost 600 columns.
        double offset = Math.Max(0.0, scroll) * Scale;
        var canvas = new Canvas(ViewportW, ViewportH);
        Span<(double X, double Y)> corners = stackalloc (double, double)[8];
        corners[0] = (0, 0);
        corners[1] = (ViewportW, 0);
        corners[2] = (ViewportW, ViewportH);
        corners[3] = (0, ViewportH);
        canvas.FillPolygon(corners[..4], Sky);

        var terrain = env.Terrain;
        foreach (var (poly, x1, x2) in terrain.Clouds)
        {
            if (x2 < scroll / 2 || x1 > scroll / 2 + ViewportW / Scale) continue;
            for (int i = 0; i < poly.Length; i++) corners[i] = (poly[i].X * Scale + scroll * Scale / 2 - offset, poly[i].Y * Scale);
            canvas.FillPolygon(corners[..poly.Length], Rgb.White);
        }
        for (int i = 0; i < TerrainLength - 1; i++)
        {
            if (terrain.X[i + 1] < scroll || terrain.X[i] > scroll + ViewportW / Scale) continue;
            corners[0] = (terrain.X[i] * Scale - offset, terrain.Y[i] * Scale);
            corners[1] = (terrain.X[i + 1] * Scale - offset, terrain.Y[i + 1] * Scale);
            corners[2] = (terrain.X[i + 1] * Scale - offset, 0);
            corners[3] = (terrain.X[i] * Scale - offset, 0);
            canvas.FillPolygon(corners[..4], Ground);
        }

        _lidarRender = (_lidarRender + 1) % 100;
        int ray = _lidarRender;
        if (ray < 2 * 10)
        {
            var (lx1, ly1, lx2, ly2) = env.Lidar[ray < 10 ? ray : 10 - ray - 1 + 10];
            canvas.DrawLine(lx1 * Scale - offset, ly1 * Scale, lx2 * Scale - offset, ly2 * Scale, Laser);
        }

        foreach (var poly in terrain.Obstacles)
        {
            for (int k = 0; k < 4; k++) corners[k] = (poly[k].X * Scale - offset, poly[k].Y * Scale);
            canvas.FillPolygon(corners[..4], Obstacle1);
            Outline(canvas, corners[..4], Obstacle2);
        }
        for (int i = 0; i < TerrainLength - 1; i++)
        {
            var color = new Rgb(76, (byte)(i % 2 == 0 ? 255 : 204), 76);
            canvas.DrawLine(terrain.X[i] * Scale - offset, terrain.Y[i] * Scale, terrain.X[i + 1] * Scale - offset, terrain.Y[i + 1] * Scale, color);
        }

        var world = env.World;
        Span<float> box = stackalloc float[8];
        var legs = env.Legs;
        for (int k = 0; k < 4; k++)
        {
            int i = k < 2 ? -1 : +1;
            float hw = (float)((k % 2 == 0 ? LegW : 0.8 * LegW) / 2), hh = (float)(LegH / 2);
            box[0] = -hw; box[1] = -hh; box[2] = hw; box[3] = -hh; box[4] = hw; box[5] = hh; box[6] = -hw; box[7] = hh;
            var fill = new Rgb((byte)(153 - i * 25), (byte)(76 - i * 25), (byte)(127 - i * 25));
            var edge = new Rgb((byte)(102 - i * 25), (byte)(51 - i * 25), (byte)(76 - i * 25));
            DrawBody(canvas, world.GetState(legs[k]), box, offset, fill, edge, corners);
        }
        DrawBody(canvas, world.GetState(env.Hull), env.HullVertices, offset, Hull1, Hull2, corners);

        double flagY1 = TerrainHeight * Scale, flagY2 = flagY1 + 50, flagX = TerrainStep * 3 * Scale - offset;
        canvas.DrawLine(flagX, flagY1, flagX, flagY2, Rgb.Black);
        corners[0] = (flagX, flagY2);
        corners[1] = (flagX, flagY2 - 10);
        corners[2] = (flagX + 25, flagY2 - 5);
        canvas.FillPolygon(corners[..3], FlagRed);
        Outline(canvas, corners[..3], Rgb.Black);
        return canvas.ToFrame();
    }

    public void WriteState(BinaryWriter writer) => writer.Write(_lidarRender);

    public void ReadState(BinaryReader reader)
    {
        int value = reader.ReadInt32();
        if ((uint)value >= 100) throw new InvalidDataException($"{env.Id}: saved lidar frame {value} is outside [0, 100).");
        _lidarRender = value;
    }

    private static void DrawBody(Canvas canvas, BodyState state, ReadOnlySpan<float> vertices, double offset, Rgb fill, Rgb edge, Span<(double X, double Y)> corners)
    {
        int n = vertices.Length / 2;
        for (int i = 0; i < n; i++)
        {
            var (x, y) = state.WorldPoint(vertices[2 * i], vertices[2 * i + 1]);
            corners[i] = (x * Scale - offset, y * Scale);
        }
        canvas.FillPolygon(corners[..n], fill);
        Outline(canvas, corners[..n], edge);
    }

    private static void Outline(Canvas canvas, ReadOnlySpan<(double X, double Y)> corners, Rgb color)
    {
        for (int i = 0; i < corners.Length; i++)
            canvas.DrawLine(corners[i].X, corners[i].Y, corners[(i + 1) % corners.Length].X, corners[(i + 1) % corners.Length].Y, color);
    }
}
