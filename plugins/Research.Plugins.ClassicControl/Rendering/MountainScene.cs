using Research.Rl.Rendering;

namespace Research.Plugins.ClassicControl.Rendering;

/// <summary>Draws the mountain-car scene shared by <c>MountainCar-v0</c> and <c>MountainCarContinuous-v0</c>: the hill, the car and the goal flag.</summary>
public static class MountainScene
{
    /// <summary>Left end of the track.</summary>
    public const double MinPosition = -1.2;

    /// <summary>Right end of the track.</summary>
    public const double MaxPosition = 0.6;

    private const double Scale = 600 / (MaxPosition - MinPosition);

    /// <summary>Draws the car at <paramref name="position"/> with the flag at <paramref name="goalPosition"/>.</summary>
    public static void Draw(Canvas canvas, double position, double goalPosition)
    {
        Span<(double X, double Y)> hill = stackalloc (double, double)[100];
        for (int i = 0; i < hill.Length; i++)
        {
            double x = MinPosition + (MaxPosition - MinPosition) * i / (hill.Length - 1);
            hill[i] = ((x - MinPosition) * Scale, Height(x) * Scale);
        }
        canvas.DrawPolyline(hill, Rgb.Black);

        const double carWidth = 40, carHeight = 20, clearance = 10;
        double angle = Math.Cos(3 * position);
        var car = new Placement(angle, (position - MinPosition) * Scale, clearance + Height(position) * Scale);
        Span<(double X, double Y)> corners = stackalloc (double, double)[4];
        car.Rectangle(-carWidth / 2, carWidth / 2, 0, carHeight, corners);
        canvas.FillPolygon(corners, Rgb.Black);
        var wheelColor = new Rgb(128, 128, 128);
        foreach (double wheelX in (ReadOnlySpan<double>)[carWidth / 4, -carWidth / 4])
        {
            var (x, y) = car.Apply(wheelX, 0);
            canvas.FillCircle((int)x, (int)y, (int)(carHeight / 2.5), wheelColor);
        }

        int flagX = (int)((goalPosition - MinPosition) * Scale);
        int flagBottom = (int)(Height(goalPosition) * Scale);
        int flagTop = flagBottom + 50;
        canvas.DrawLine(flagX, flagBottom, flagX, flagTop, Rgb.Black);
        canvas.FillPolygon([(flagX, flagTop), (flagX, flagTop - 10), (flagX + 25, flagTop - 5)], new Rgb(204, 204, 0));
    }

    private static double Height(double x) => Math.Sin(3 * x) * 0.45 + 0.55;
}
