using System.Globalization;

namespace Research.Cli.Output;

/// <summary>Numbers as the commands print them in progress and summary lines.</summary>
internal static class NumberText
{
    /// <summary>Up to three decimals, invariant culture.</summary>
    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
