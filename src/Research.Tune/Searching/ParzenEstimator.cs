using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Research.Tune;

/// <summary>One hyperparameter as TPE models it: numbers on an internal axis (logarithmic for loguniform, half-steps around integers), or categories.</summary>
public sealed class TpeParameter
{
    private TpeParameter(string key, RandomDomain domain) => (Key, Domain) = (key, domain);

    /// <summary>The dotted config key.</summary>
    public string Key { get; }

    /// <summary>The domain it is searched in.</summary>
    public RandomDomain Domain { get; }

    /// <summary>Whether it is a choice among values.</summary>
    public bool Categorical => Domain is Choice;

    /// <summary>The internal axis' bounds (Optuna's: log bounds for loguniform; low − ½ and high + ½ for integers).</summary>
    public (double Low, double High) Bounds => Domain switch
    {
        Uniform u => (u.Low, u.High),
        LogUniform l => (Math.Log(l.Low), Math.Log(l.High)),
        RandInt r => (r.Low - 0.5, r.High - 1 + 0.5),
        _ => (0, ((Choice)Domain).Values.Count),
    };

    /// <summary>The bin width of a discrete parameter (1 for integers), or null.</summary>
    public double? Step => Domain is RandInt ? 1 : null;

    /// <summary>A config value on the internal axis (a choice's index).</summary>
    public double ToInternal(object? value) => Domain switch
    {
        LogUniform => Math.Log(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        Choice c => PbtExplorer.IndexOf(c.Values, value),
        _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A point of the internal axis as a config value (integers rounded and clipped, as Optuna).</summary>
    public object? ToExternal(double x) => Domain switch
    {
        LogUniform => Math.Exp(x),
        RandInt r => Math.Clamp((long)Math.Round(x - r.Low, MidpointRounding.ToEven) + r.Low, r.Low, r.High - 1),
        Choice c => c.Values[(int)x],
        _ => x,
    };

    /// <summary>The parameter for <paramref name="domain"/>.</summary>
    public static TpeParameter Of(string key, RandomDomain domain) => new(key, domain);
}

/// <summary>
/// Optuna's univariate Parzen estimator: a mixture of one truncated Gaussian per observation plus a prior (the axis' middle, as wide as
/// the axis), or for categories a mixture of smoothed one-hot rows; weights from Optuna's <c>default_weights</c> (older observations
/// count less past 25) and <c>prior_weight</c>.
/// </summary>
/// <remarks>Facts kept from Optuna: each Gaussian's width is the larger gap to its sorted neighbours (the axis' ends as outer
/// neighbours, except that the outermost take their inner gap), clipped to [range/min(100, 1 + n), range] ("magic clip"); the prior's
/// width is the range; integers are scored by the mass of their unit bin.</remarks>
public sealed class ParzenEstimator
{
    private const double Eps = 1e-12;
    private readonly TpeParameter _parameter;
    private readonly double[] _weights;
    private readonly double[] _mus = [];
    private readonly double[] _sigmas = [];
    private readonly double[][] _categories = [];

    /// <summary>The estimator of <paramref name="observations"/> (internal values, oldest first).</summary>
    public ParzenEstimator(TpeParameter parameter, IReadOnlyList<double> observations, double priorWeight)
    {
        _parameter = parameter;
        int n = observations.Count;
        var weights = DefaultWeights(n).Append(priorWeight).ToArray();
        double total = weights.Sum();
        _weights = weights.Select(w => w / total).ToArray();
        if (parameter.Categorical)
        {
            int choices = ((Choice)parameter.Domain).Values.Count;
            double value = priorWeight / (n + 1);
            _categories = new double[n + 1][];
            for (int i = 0; i <= n; i++)
            {
                var row = Enumerable.Repeat(value, choices).ToArray();
                if (i < n) row[(int)observations[i]] += 1;
                double sum = row.Sum();
                _categories[i] = row.Select(p => p / sum).ToArray();
            }
            return;
        }
        var (low, high) = parameter.Bounds;
        _mus = observations.Append(0.5 * (low + high)).ToArray();
        _sigmas = Widths(_mus, low, high);
        _sigmas[n] = high - low;
    }

    /// <summary>Optuna's <c>default_weights</c>: ones below 25 observations, else a ramp from 1/n to 1 for all but the newest 25.</summary>
    public static double[] DefaultWeights(int n)
    {
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        var ramp = Linspace(1.0 / n, 1.0, n - 25);
        return ramp.Concat(Enumerable.Repeat(1.0, 25)).ToArray();
    }

    private static double[] Linspace(double from, double to, int count) =>
        count == 1 ? [from] : Enumerable.Range(0, count).Select(i => from + (to - from) * i / (count - 1)).ToArray();

    private static double[] Widths(double[] mus, double low, double high)
    {
        int m = mus.Length;
        var order = Enumerable.Range(0, m).OrderBy(i => mus[i]).ToArray();
        var withEnds = new double[m + 2];
        withEnds[0] = low;
        for (int i = 0; i < m; i++) withEnds[i + 1] = mus[order[i]];
        withEnds[m + 1] = high;
        var sorted = new double[m];
        for (int i = 0; i < m; i++) sorted[i] = Math.Max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
        if (withEnds.Length >= 4)
        {
            sorted[0] = withEnds[2] - withEnds[1];
            sorted[^1] = withEnds[^2] - withEnds[^3];
        }
        double max = high - low, min = (high - low) / Math.Min(100.0, 1.0 + m);
        var sigmas = new double[m];
        for (int i = 0; i < m; i++) sigmas[order[i]] = Math.Clamp(sorted[i], min, max);
        return sigmas;
    }

    /// <summary><paramref name="count"/> draws (internal values) from the mixture.</summary>
    public double[] Sample(Random random, int count)
    {
        var samples = new double[count];
        var (low, high) = _parameter.Bounds;
        for (int s = 0; s < count; s++)
        {
            int k = Component(random);
            if (_parameter.Categorical)
            {
                double u = random.NextDouble(), cumulative = 0;
                var row = _categories[k];
                int c = 0;
                while (c < row.Length - 1 && (cumulative += row[c]) < u) c++;
                samples[s] = c;
                continue;
            }
            // Inverse-CDF draw from the Gaussian truncated to the axis (every centre lies inside it, so both tails are bounded).
            double a = Normal.CDF(_mus[k], _sigmas[k], low), b = Normal.CDF(_mus[k], _sigmas[k], high);
            double x = Normal.InvCDF(_mus[k], _sigmas[k], a + random.NextDouble() * (b - a));
            samples[s] = Math.Clamp(x, low, Math.BitDecrement(high));
        }
        return samples;
    }

    private int Component(Random random)
    {
        double u = random.NextDouble(), cumulative = 0;
        for (int k = 0; k < _weights.Length - 1; k++)
            if ((cumulative += _weights[k]) > u) return k;
        return _weights.Length - 1;
    }

    /// <summary>The mixture's log density (log mass of the bin for integers, log probability for categories) at internal value <paramref name="x"/>.</summary>
    public double LogPdf(double x)
    {
        if (_parameter.Categorical)
        {
            double p = 0;
            for (int k = 0; k < _weights.Length; k++) p += _weights[k] * _categories[k][(int)x];
            return Math.Log(p);
        }
        var (low, high) = _parameter.Bounds;
        var terms = new double[_weights.Length];
        for (int k = 0; k < _weights.Length; k++)
        {
            double mu = _mus[k], sigma = _sigmas[k];
            double accept = Cdf(high, mu, sigma) - Cdf(low, mu, sigma);
            double log;
            if (_parameter.Step is not { } q)
            {
                double z = (x - mu) / Math.Max(sigma, Eps);
                log = -0.5 * z * z + Math.Log(1 / (Math.Sqrt(2 * Math.PI) * sigma) / accept);
            }
            else
            {
                double mass = Cdf(Math.Min(x + q / 2, high), mu, sigma) - Cdf(Math.Max(x - q / 2, low), mu, sigma);
                log = Math.Log(mass + Eps) - Math.Log(accept + Eps);
            }
            terms[k] = log + Math.Log(_weights[k]);
        }
        double max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    private static double Cdf(double x, double mu, double sigma) => 0.5 * (1 + SpecialFunctions.Erf((x - mu) / Math.Max(Math.Sqrt(2) * sigma, Eps)));
}
