using Research.Abstractions.Environments;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Rendering;
using static Research.Plugins.Box2D.CarRacing.CarRacingEnv;

namespace Research.Plugins.Box2D.CarRacing;

/// <summary>Draws CarRacing's picture as Gymnasium lays it out on its 1000×800 window — car-centred, turning with the car, the
/// indicator bar and score at the bottom — straight at the output size (96×96 observations, 600×400 videos).</summary>
/// <remarks>Window coordinates are scaled to the output (as pygame's <c>smoothscale</c> does, aspect ratio included) and drawn at
/// 2×2 samples per output pixel, then averaged, which stands in for pygame's anti-aliasing and area-averaging shrink.
/// The score is drawn with a 5×7 bitmap font where Gymnasium renders FreeSansBold 42: same place, size and colour.</remarks>
internal sealed class CarRacingRenderer
{
    private const int Supersample = 2;
    private static readonly Rgb HullColor = new(204, 0, 0), WheelColor = Rgb.Black, WheelWhite = new(77, 77, 77), MudColor = new(102, 102, 0);

    // Rows of 5-bit glyphs, top row first, for '0'–'9' and '-'.
    private static readonly byte[][] Glyphs =
    [
        [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
        [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
        [0b11110, 0b00001, 0b00001, 0b01110, 0b00001, 0b00001, 0b11110],
        [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
        [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
        [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
        [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
        [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
        [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
        [0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000],
    ];

    private readonly Canvas _canvas;
    private readonly bool _drawSkidMarks;
    private readonly double _scaleX, _scaleY;
    private double _cos, _sin, _zoom, _transX, _transY;

    /// <summary>A renderer for pictures of <paramref name="width"/>×<paramref name="height"/>; videos also show skid marks.</summary>
    public CarRacingRenderer(int width, int height, bool drawSkidMarks)
    {
        _canvas = new Canvas(width * Supersample, height * Supersample);
        _drawSkidMarks = drawSkidMarks;
        _scaleX = (double)_canvas.Width / WindowW;
        _scaleY = (double)_canvas.Height / WindowH;
    }

    /// <summary>Draws the current state into an observation buffer (height × width × 3 values 0–255). Allocates nothing.</summary>
    public void Render(CarRacingEnv env, Span<float> observation)
    {
        Paint(env);
        _canvas.WriteShrunk(Supersample, observation);
    }

    /// <summary>Draws the current state as a frame.</summary>
    public RgbFrame RenderFrame(CarRacingEnv env)
    {
        Paint(env);
        return _canvas.ToFrame(Supersample);
    }

    private void Paint(CarRacingEnv env)
    {
        var (world, track, car) = env.Current;
        var hull = world.GetState(car.Hull);
        double angle = -hull.Angle, t = env.Time;
        _zoom = 0.1 * Scale * Math.Max(1 - t, 0) + Zoom * Scale * Math.Min(t, 1);
        (_sin, _cos) = Math.SinCos(angle);
        double scrollX = -hull.X * _zoom, scrollY = -hull.Y * _zoom;
        _transX = WindowW / 2.0 + (scrollX * _cos - scrollY * _sin);
        _transY = WindowH / 4.0 + (scrollX * _sin + scrollY * _cos);

        Span<(double X, double Y)> corners = stackalloc (double, double)[8];
        corners[0] = (Playfield, Playfield);
        corners[1] = (Playfield, -Playfield);
        corners[2] = (-Playfield, -Playfield);
        corners[3] = (-Playfield, Playfield);
        _canvas.Clear(Rgb.Black);
        DrawWorldPolygon(corners[..4], Color(env.BackgroundColor), clip: false);

        var grass = Color(env.GrassColor);
        for (int x = -20; x < 20; x += 2)
            for (int y = -20; y < 20; y += 2)
            {
                corners[0] = (GrassDim * x + GrassDim, GrassDim * y + 0);
                corners[1] = (GrassDim * x + 0, GrassDim * y + 0);
                corners[2] = (GrassDim * x + 0, GrassDim * y + GrassDim);
                corners[3] = (GrassDim * x + GrassDim, GrassDim * y + GrassDim);
                DrawWorldPolygon(corners[..4], grass, clip: true);
            }

        var colors = env.TileColors;
        int kerb = 0;
        for (int i = 0; i < track.Tiles.Length; i++)
        {
            DrawWorldPolygon(Corners(track.Tiles[i], corners), Color(colors[i]), clip: true);
            if (kerb < track.Kerbs.Count && track.Kerbs[kerb].Tile == i)
                DrawWorldPolygon(Corners(track.Kerbs[kerb++].Polygon, corners), i % 2 == 0 ? Rgb.White : new Rgb(255, 0, 0), clip: true);
        }

        if (_drawSkidMarks)
            foreach (var mark in car.SkidMarks)
            {
                var points = mark.Points;
                for (int k = 0; k + 1 < points.Length; k++)
                {
                    var (x0, y0) = ToCanvas(points[k].X, points[k].Y);
                    var (x1, y1) = ToCanvas(points[k + 1].X, points[k + 1].Y);
                    ThickLine(x0, y0, x1, y1, mark.Grass ? MudColor : WheelColor);
                }
            }

        DrawCar(world, car, corners);
        DrawIndicators(env, world, car, hull);
    }

    private void DrawCar(World world, Car car, Span<(double X, double Y)> corners)
    {
        foreach (var wheel in car.Wheels)
        {
            var state = world.GetState(wheel.Body);
            for (int k = 0; k < 4; k++) corners[k] = Placed(state, Car.WheelPoly[k].X * Car.Size, Car.WheelPoly[k].Y * Car.Size);
            _canvas.FillPolygon(corners[..4], WheelColor);

            double a1 = wheel.Phase, a2 = wheel.Phase + 1.2;
            double s1 = Math.Sin(a1), s2 = Math.Sin(a2), c1 = Math.Cos(a1), c2 = Math.Cos(a2);
            if (s1 > 0 && s2 > 0) continue;
            if (s1 > 0) c1 = Math.Sign(c1);
            if (s2 > 0) c2 = Math.Sign(c2);
            const double w = Car.WheelW * Car.Size, r = Car.WheelR * Car.Size;
            corners[0] = Placed(state, -w, r * c1);
            corners[1] = Placed(state, +w, r * c1);
            corners[2] = Placed(state, +w, r * c2);
            corners[3] = Placed(state, -w, r * c2);
            _canvas.FillPolygon(corners[..4], WheelWhite);
        }
        var hull = world.GetState(car.Hull);
        foreach (var poly in Car.HullPolys)
        {
            for (int k = 0; k < poly.Length; k++) corners[k] = Placed(hull, poly[k].X * Car.Size, poly[k].Y * Car.Size);
            _canvas.FillPolygon(corners[..poly.Length], HullColor);
        }
    }

    // The bottom bar in Gymnasium's window coordinates (y down after its flip): speed, four ABS sensors, steering, gyroscope, score.
    private void DrawIndicators(CarRacingEnv env, World world, Car car, BodyState hull)
    {
        const double w = WindowW, h = WindowH, s = w / 40.0, hh = h / 40.0;
        WindowRectangle(0, h - 5 * hh, w, h, Rgb.Black);
        double trueSpeed = Math.Sqrt((double)hull.VelocityX * hull.VelocityX + (double)hull.VelocityY * hull.VelocityY);
        Vertical(5, 0.02 * trueSpeed, trueSpeed, Rgb.White);
        var wheels = car.Wheels;
        Vertical(7, 0.01 * wheels[0].Omega, wheels[0].Omega, new Rgb(0, 0, 255));
        Vertical(8, 0.01 * wheels[1].Omega, wheels[1].Omega, new Rgb(0, 0, 255));
        Vertical(9, 0.01 * wheels[2].Omega, wheels[2].Omega, new Rgb(51, 0, 255));
        Vertical(10, 0.01 * wheels[3].Omega, wheels[3].Omega, new Rgb(51, 0, 255));
        double steering = world.GetJointState(wheels[0].Joint).Angle;
        Horizontal(20, -10.0 * steering, steering, new Rgb(0, 255, 0));
        Horizontal(30, -0.8 * hull.AngularVelocity, hull.AngularVelocity, new Rgb(255, 0, 0));
        DrawScore(env.Score);

        void Vertical(int place, double value, double shown, Rgb color)
        {
            if (Math.Abs(shown) > 1e-4) WindowRectangle(place * s, h - (hh + hh * value), (place + 1) * s, h - hh, color);
        }

        void Horizontal(int place, double value, double shown, Rgb color)
        {
            if (Math.Abs(shown) > 1e-4) WindowRectangle(place * s, h - 4 * hh, (place + value) * s, h - 2 * hh, color);
        }
    }

    // "%04i" % score, centred at (60, 750) of the window, 42-pixel type: 23.4-pixel advance, 30-pixel digits.
    private void DrawScore(double score)
    {
        Span<int> glyphs = stackalloc int[12];
        long value = (long)Math.Truncate(score);
        int count = 0;
        for (long v = Math.Abs(value); v > 0 || count == 0; v /= 10) glyphs[count++] = (int)(v % 10);
        int width = value < 0 ? 3 : 4;
        while (count < width) glyphs[count++] = 0;
        if (value < 0) glyphs[count++] = 10;
        const double advance = 23.4, glyphHeight = 30.0, centreX = 60, centreY = 750;
        double left = centreX - count * advance / 2, top = centreY - glyphHeight / 2;
        const double cellW = advance * 0.8 / 5, cellH = glyphHeight / 7;
        for (int k = 0; k < count; k++)
        {
            var rows = Glyphs[glyphs[count - 1 - k]];
            double x0 = left + k * advance + advance * 0.1;
            for (int row = 0; row < 7; row++)
                for (int bit = 0; bit < 5; bit++)
                    if ((rows[row] >> (4 - bit) & 1) != 0)
                        WindowRectangle(x0 + bit * cellW, top + row * cellH, x0 + (bit + 1) * cellW, top + (row + 1) * cellH, Rgb.White);
        }
    }

    private void WindowRectangle(double x0, double y0, double x1, double y1, Rgb color) =>
        _canvas.FillRectangle(x0 * _scaleX, (WindowH - y0) * _scaleY, x1 * _scaleX, (WindowH - y1) * _scaleY, color);

    // Gymnasium's _draw_colored_polygon: skip shapes with no corner near the window (MAX_SHAPE_DIM around it).
    private void DrawWorldPolygon(Span<(double X, double Y)> corners, Rgb color, bool clip)
    {
        bool near = !clip;
        for (int k = 0; k < corners.Length; k++)
        {
            var (x, y) = ToWindow(corners[k].X, corners[k].Y);
            near |= x >= -MaxShapeDim && x <= WindowW + MaxShapeDim && y >= -MaxShapeDim && y <= WindowH + MaxShapeDim;
            corners[k] = (x * _scaleX, y * _scaleY);
        }
        if (near) _canvas.FillPolygon(corners, color);
    }

    private (double X, double Y) ToWindow(double x, double y) =>
        ((x * _cos - y * _sin) * _zoom + _transX, (x * _sin + y * _cos) * _zoom + _transY);

    private (double X, double Y) ToCanvas(double x, double y)
    {
        var (wx, wy) = ToWindow(x, y);
        return (wx * _scaleX, wy * _scaleY);
    }

    private (double X, double Y) Placed(BodyState body, double x, double y)
    {
        var (wx, wy) = body.WorldPoint((float)x, (float)y);
        return ToCanvas(wx, wy);
    }

    private void ThickLine(double x0, double y0, double x1, double y1, Rgb color)
    {
        double dx = x1 - x0, dy = y1 - y0, length = Math.Sqrt(dx * dx + dy * dy);
        if (length == 0) return;
        double half = Supersample * 0.5, nx = -dy / length * half, ny = dx / length * half;
        _canvas.FillPolygon([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)], color);
    }

    private static Span<(double X, double Y)> Corners(RoadPolygon polygon, Span<(double X, double Y)> corners)
    {
        corners[0] = polygon.A;
        corners[1] = polygon.B;
        corners[2] = polygon.C;
        corners[3] = polygon.D;
        return corners[..4];
    }

    // pygame takes colour components as integers (Gymnasium's int(c), or truncation of NumPy floats).
    private static Rgb Color(double[] c) => new((byte)Math.Clamp((int)c[0], 0, 255), (byte)Math.Clamp((int)c[1], 0, 255), (byte)Math.Clamp((int)c[2], 0, 255));
}
