using System.Globalization;

namespace Research.Rl.Logging;

/// <summary>Number formatting that matches what Stable-Baselines' logger prints from Python.</summary>
/// <remarks>
/// Sinks receive doubles only, so a whole number is printed as an integer (SB3 logs counters such as
/// <c>time/total_timesteps</c> as Python ints); any other number uses Python's <c>%g</c> or <c>repr</c> spelling.
/// </remarks>
public static class MetricFormat
{
    private const double LargestExactInteger = 9007199254740992d; // 2^53

    /// <summary>True when <paramref name="value"/> is a whole number that prints exactly as an integer.</summary>
    public static bool IsWhole(double value) => double.IsFinite(value) && Math.Abs(value) < LargestExactInteger && value == Math.Floor(value);

    /// <summary>The value for the stdout table: an integer, or Python's <c>f"{value:&lt;8.3g}"</c>.</summary>
    public static string ForTable(double value) =>
        IsWhole(value) ? ((long)value).ToString(CultureInfo.InvariantCulture) : GeneralFormat(value, 3).PadRight(8);

    /// <summary>The value for CSV and text files: an integer, or the shortest round-trip spelling with Python's exponent style.</summary>
    public static string ForFile(double value)
    {
        if (IsWhole(value)) return ((long)value).ToString(CultureInfo.InvariantCulture);
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        return e < 0 ? text : text[..e] + "e" + PythonExponent(int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Python's <c>%.{precision}g</c>: significant digits, trailing zeros removed, exponent form when it is below -4 or at least the precision.</summary>
    public static string GeneralFormat(double value, int precision)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // Rounding to the significant digits first decides the exponent (9.996 → 1.00e+01).
        var scientific = value.ToString("E" + (precision - 1), CultureInfo.InvariantCulture);
        int ePos = scientific.IndexOf('E');
        int exponent = int.Parse(scientific[(ePos + 1)..], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
            return TrimZeros(scientific[..ePos]) + "e" + PythonExponent(exponent);
        return TrimZeros(value.ToString("F" + (precision - 1 - exponent), CultureInfo.InvariantCulture));
    }

    private static string PythonExponent(int exponent) =>
        (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);

    private static string TrimZeros(string number) =>
        number.Contains('.') ? number.TrimEnd('0').TrimEnd('.') : number;
}
