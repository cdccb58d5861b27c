using Research.Rl.Seeding;
using static Research.Plugins.Box2D.CarRacing.CarRacingEnv;

namespace Research.Plugins.Box2D.CarRacing;

/// <summary>One point of the track's centre line: Gymnasium's <c>(alpha, beta, x, y)</c>.</summary>
public readonly record struct TrackPoint(double Alpha, double Beta, double X, double Y);

/// <summary>A quadrilateral to draw: a road tile or a red-white kerb.</summary>
public readonly record struct RoadPolygon((double X, double Y) A, (double X, double Y) B, (double X, double Y) C, (double X, double Y) D);

/// <summary>CarRacing's track, generated from the generator exactly as Gymnasium's <c>_create_track</c>: twelve noisy checkpoints
/// around a circle, a centre line steered towards them, one closed lap cut out of it, kerbs on hard turns, and one road tile per point.</summary>
internal sealed class RaceTrack
{
    private const int Checkpoints = 12;

    private RaceTrack(TrackPoint[] points, bool[] border)
    {
        Points = points;
        Border = border;
        Tiles = new RoadPolygon[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            var (_, beta1, x1, y1) = points[i];
            var (_, beta2, x2, y2) = points[(i - 1 + points.Length) % points.Length];
            Tiles[i] = new RoadPolygon(
                (x1 - TrackWidth * Math.Cos(beta1), y1 - TrackWidth * Math.Sin(beta1)),
                (x1 + TrackWidth * Math.Cos(beta1), y1 + TrackWidth * Math.Sin(beta1)),
                (x2 + TrackWidth * Math.Cos(beta2), y2 + TrackWidth * Math.Sin(beta2)),
                (x2 - TrackWidth * Math.Cos(beta2), y2 - TrackWidth * Math.Sin(beta2)));
            if (!border[i]) continue;
            double side = Math.Sign(beta2 - beta1);
            Kerbs.Add((i, new RoadPolygon(
                (x1 + side * TrackWidth * Math.Cos(beta1), y1 + side * TrackWidth * Math.Sin(beta1)),
                (x1 + side * (TrackWidth + BorderWidth) * Math.Cos(beta1), y1 + side * (TrackWidth + BorderWidth) * Math.Sin(beta1)),
                (x2 + side * (TrackWidth + BorderWidth) * Math.Cos(beta2), y2 + side * (TrackWidth + BorderWidth) * Math.Sin(beta2)),
                (x2 + side * TrackWidth * Math.Cos(beta2), y2 + side * TrackWidth * Math.Sin(beta2)))));
        }
    }

    /// <summary>The closed lap's centre-line points (Gymnasium's <c>self.track</c>).</summary>
    public TrackPoint[] Points { get; }

    /// <summary>Which points have a kerb.</summary>
    public bool[] Border { get; }

    /// <summary>Tile i spans from point i − 1 to point i.</summary>
    public RoadPolygon[] Tiles { get; }

    /// <summary>The kerbs, each after the tile it belongs to (red-white by the tile's parity).</summary>
    public List<(int Tile, RoadPolygon Polygon)> Kerbs { get; } = [];

    /// <summary>Draws tracks until one closes (Gymnasium retries the same way, drawing new checkpoints each time).</summary>
    public static RaceTrack Generate(NumpyGenerator random)
    {
        while (true)
            if (TryGenerate(random) is { } track)
                return track;
    }

    private static RaceTrack? TryGenerate(NumpyGenerator random)
    {
        var checkpoints = new (double Alpha, double X, double Y)[Checkpoints];
        double startAlpha = 0;
        for (int c = 0; c < Checkpoints; c++)
        {
            double noise = random.Uniform(0, 2 * Math.PI * 1 / Checkpoints);
            double alpha = 2 * Math.PI * c / Checkpoints + noise;
            double rad = random.Uniform(TrackRad / 3, TrackRad);
            if (c == 0)
            {
                alpha = 0;
                rad = 1.5 * TrackRad;
            }
            if (c == Checkpoints - 1)
            {
                alpha = 2 * Math.PI * c / Checkpoints;
                startAlpha = 2 * Math.PI * (-0.5) / Checkpoints;
                rad = 1.5 * TrackRad;
            }
            checkpoints[c] = (alpha, rad * Math.Cos(alpha), rad * Math.Sin(alpha));
        }

        double x = 1.5 * TrackRad, y = 0, beta = 0;
        int destI = 0, laps = 0, noFreeze = 2500;
        bool visitedOtherSide = false;
        var track = new List<TrackPoint>();
        while (true)
        {
            double alpha = Math.Atan2(y, x);
            if (visitedOtherSide && alpha > 0)
            {
                laps++;
                visitedOtherSide = false;
            }
            if (alpha < 0)
            {
                visitedOtherSide = true;
                alpha += 2 * Math.PI;
            }

            double destX, destY;
            while (true)
            {
                bool failed = true;
                while (true)
                {
                    (double destAlpha, destX, destY) = checkpoints[destI % Checkpoints];
                    if (alpha <= destAlpha)
                    {
                        failed = false;
                        break;
                    }
                    destI++;
                    if (destI % Checkpoints == 0) break;
                }
                if (!failed) break;
                alpha -= 2 * Math.PI;
            }

            double r1x = Math.Cos(beta), r1y = Math.Sin(beta);
            double p1x = -r1y, p1y = r1x;
            double destDx = destX - x, destDy = destY - y;
            double proj = r1x * destDx + r1y * destDy;
            while (beta - alpha > 1.5 * Math.PI) beta -= 2 * Math.PI;
            while (beta - alpha < -1.5 * Math.PI) beta += 2 * Math.PI;
            double prevBeta = beta;
            proj *= Scale;
            if (proj > 0.3) beta -= Math.Min(TrackTurnRate, Math.Abs(0.001 * proj));
            if (proj < -0.3) beta += Math.Min(TrackTurnRate, Math.Abs(0.001 * proj));
            x += p1x * TrackDetailStep;
            y += p1y * TrackDetailStep;
            track.Add(new TrackPoint(alpha, prevBeta * 0.5 + beta * 0.5, x, y));
            if (laps > 4) break;
            noFreeze--;
            if (noFreeze == 0) break;
        }

        int i1 = -1, i2 = -1, i = track.Count;
        while (true)
        {
            i--;
            if (i == 0) return null;
            bool passThroughStart = track[i].Alpha > startAlpha && track[i - 1].Alpha <= startAlpha;
            if (passThroughStart && i2 == -1) i2 = i;
            else if (passThroughStart && i1 == -1)
            {
                i1 = i;
                break;
            }
        }

        var points = track.GetRange(i1, Math.Max(0, i2 - 1 - i1)).ToArray();
        double firstBeta = points[0].Beta, firstPerpX = Math.Cos(firstBeta), firstPerpY = Math.Sin(firstBeta);
        double dx = firstPerpX * (points[0].X - points[^1].X), dy = firstPerpY * (points[0].Y - points[^1].Y);
        double wellGluedTogether = Math.Sqrt(dx * dx + dy * dy);
        if (wellGluedTogether > TrackDetailStep) return null;

        int n = points.Length;
        var border = new bool[n];
        for (int k = 0; k < n; k++)
        {
            bool good = true;
            double oneSide = 0;
            for (int neg = 0; neg < BorderMinCount; neg++)
            {
                double beta1 = points[Wrap(k - neg - 0, n)].Beta, beta2 = points[Wrap(k - neg - 1, n)].Beta;
                good &= Math.Abs(beta1 - beta2) > TrackTurnRate * 0.2;
                oneSide += Math.Sign(beta1 - beta2);
            }
            good &= Math.Abs(oneSide) == BorderMinCount;
            border[k] = good;
        }
        for (int k = 0; k < n; k++)
            for (int neg = 0; neg < BorderMinCount; neg++)
                border[Wrap(k - neg, n)] |= border[k];
        return new RaceTrack(points, border);
    }

    private static int Wrap(int index, int n) => index < 0 ? index + n : index;
}
