using Research.Rl.Logging;

namespace Research.Rl.Tests.Logging;

public sealed class MetricFormatTests
{
    [Theory]
    [InlineData(22.3, "22.3")]
    [InlineData(0.0087225, "0.00872")]
    [InlineData(1234.5, "1.23e+03")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.00001234, "1.23e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(9.996, "10")]
    [InlineData(999.6, "1e+03")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(double.NaN, "nan")]
    public void General_format_spells_numbers_as_python_percent_g(double value, string expected) =>
        Assert.Equal(expected, MetricFormat.GeneralFormat(value, 3));

    [Theory]
    [InlineData(2048, "2048")]
    [InlineData(22.3, "22.3    ")]
    [InlineData(-3, "-3")]
    public void Table_values_are_integers_or_left_aligned_in_eight_columns(double value, string expected) =>
        Assert.Equal(expected, MetricFormat.ForTable(value));

    [Theory]
    [InlineData(2048, "2048")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-7, "1e-07")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void File_values_round_trip_with_python_exponents(double value, string expected) =>
        Assert.Equal(expected, MetricFormat.ForFile(value));
}
