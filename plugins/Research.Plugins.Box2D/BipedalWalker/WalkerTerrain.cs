using Research.Rl.Seeding;
using static Research.Plugins.Box2D.BipedalWalker.BipedalWalkerEnv;

namespace Research.Plugins.Box2D.BipedalWalker;

/// <summary>BipedalWalker's terrain drawn from the generator exactly as Gymnasium's <c>_generate_terrain</c> and <c>_generate_clouds</c> do:
/// a random walk of grass, and in hardcore mode stumps, stairs and pits as polygons.</summary>
internal sealed class WalkerTerrain
{
    private const int Grass = 0, Stump = 1, Stairs = 2, Pit = 3, States = 4;

    /// <summary>x of each of the 200 terrain points.</summary>
    public double[] X { get; } = new double[TerrainLength];

    /// <summary>y of each terrain point.</summary>
    public double[] Y { get; } = new double[TerrainLength];

    /// <summary>The obstacles (stumps, stair steps, pit walls) as 4-corner polygons, in creation order.</summary>
    public List<(double X, double Y)[]> Obstacles { get; } = [];

    /// <summary>The ten clouds: five corners each, and their x extent.</summary>
    public List<((double X, double Y)[] Poly, double X1, double X2)> Clouds { get; } = [];

    public void Generate(NumpyGenerator random, bool hardcore)
    {
        Obstacles.Clear();
        Clouds.Clear();
        int state = Grass;
        double velocity = 0.0, y = TerrainHeight, originalY = 0;
        long counter = TerrainStartPad;
        bool oneshot = false;
        long stairSteps = 0, stairWidth = 0, stairHeight = 0;
        for (int i = 0; i < TerrainLength; i++)
        {
            double x = i * TerrainStep;
            X[i] = x;
            if (state == Grass && !oneshot)
            {
                velocity = 0.8 * velocity + 0.01 * Math.Sign(TerrainHeight - y);
                if (i > TerrainStartPad) velocity += random.Uniform(-1, 1) / Scale;
                y += velocity;
            }
            else if (state == Pit && oneshot)
            {
                counter = random.Integers(3, 5);
                (double, double)[] poly = [(x, y), (x + TerrainStep, y), (x + TerrainStep, y - 4 * TerrainStep), (x, y - 4 * TerrainStep)];
                Obstacles.Add(poly);
                Obstacles.Add(Array.ConvertAll(poly, p => (p.Item1 + TerrainStep * counter, p.Item2)));
                counter += 2;
                originalY = y;
            }
            else if (state == Pit && !oneshot)
            {
                y = originalY;
                if (counter > 1) y -= 4 * TerrainStep;
            }
            else if (state == Stump && oneshot)
            {
                counter = random.Integers(1, 3);
                Obstacles.Add([(x, y), (x + counter * TerrainStep, y), (x + counter * TerrainStep, y + counter * TerrainStep), (x, y + counter * TerrainStep)]);
            }
            else if (state == Stairs && oneshot)
            {
                stairHeight = random.NextDouble() > 0.5 ? +1 : -1;
                stairWidth = random.Integers(4, 5);
                stairSteps = random.Integers(3, 5);
                originalY = y;
                for (long s = 0; s < stairSteps; s++)
                    Obstacles.Add([
                        (x + (s * stairWidth) * TerrainStep, y + (s * stairHeight) * TerrainStep),
                        (x + ((1 + s) * stairWidth) * TerrainStep, y + (s * stairHeight) * TerrainStep),
                        (x + ((1 + s) * stairWidth) * TerrainStep, y + (-1 + s * stairHeight) * TerrainStep),
                        (x + (s * stairWidth) * TerrainStep, y + (-1 + s * stairHeight) * TerrainStep),
                    ]);
                counter = stairSteps * stairWidth;
            }
            else if (state == Stairs && !oneshot)
            {
                long s = stairSteps * stairWidth - counter - stairHeight;
                double n = (double)s / stairWidth;
                y = originalY + (n * stairHeight) * TerrainStep;
            }
            oneshot = false;
            Y[i] = y;
            counter--;
            if (counter == 0)
            {
                counter = random.Integers(TerrainGrass / 2, TerrainGrass);
                if (state == Grass && hardcore) state = (int)random.Integers(1, States);
                else state = Grass;
                oneshot = true;
            }
        }

        for (int c = 0; c < TerrainLength / 20; c++)
        {
            double x = random.Uniform(0, TerrainLength) * TerrainStep;
            const double y0 = ViewportH / Scale * 3 / 4;
            var poly = new (double X, double Y)[5];
            for (int a = 0; a < 5; a++)
            {
                double px = x + 15 * TerrainStep * Math.Sin(3.14 * 2 * a / 5) + random.Uniform(0, 5 * TerrainStep);
                double py = y0 + 5 * TerrainStep * Math.Cos(3.14 * 2 * a / 5) + random.Uniform(0, 5 * TerrainStep);
                poly[a] = (px, py);
            }
            Clouds.Add((poly, poly.Min(p => p.X), poly.Max(p => p.X)));
        }
    }
}
