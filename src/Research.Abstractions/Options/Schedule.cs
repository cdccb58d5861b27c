using System.Globalization;

namespace Research.Abstractions.Options;

/// <summary>A hyperparameter that changes over training, as a function of the progress remaining (1 at the start, 0 at the end).</summary>
/// <remarks>
/// Parses the zoo's spellings: a number (constant), <c>lin_0.001</c> (linear from the value to 0) or <c>lin_0.001_0.0001</c>.
/// The progress is that of the planned training budget (<c>Learn(n)</c>, <c>--timesteps</c>, a sweep's <c>stop.timesteps_total</c>
/// or the config's <c>total_timesteps</c>), so any schedule but a constant needs one.
/// </remarks>
public sealed class Schedule
{
    private readonly Func<double, double> _value;

    private Schedule(Func<double, double> value, string text, ScheduleKind kind)
    {
        _value = value;
        Text = text;
        Kind = kind;
    }

    /// <summary>How the schedule is written (<c>0.0003</c>, <c>lin_0.001</c>, or <c>custom</c> for a C# function).</summary>
    public string Text { get; }

    /// <summary>Whether it is a constant, a linear schedule or a C# function (which cannot be written to a model file).</summary>
    public ScheduleKind Kind { get; }

    /// <summary>True when the value never changes, so it needs no training budget.</summary>
    public bool IsConstant => Kind == ScheduleKind.Constant;

    /// <summary>The value when <paramref name="progressRemaining"/> of training is left (1 → start, 0 → end).</summary>
    public double ValueAt(double progressRemaining) => _value(progressRemaining);

    /// <summary>The value at the start of training.</summary>
    public double Initial => _value(1.0);

    /// <summary>A constant value.</summary>
    public static Schedule Constant(double value) => new(_ => value, Format(value), ScheduleKind.Constant);

    /// <summary>Linear from <paramref name="initial"/> at the start to <paramref name="final"/> at the end.</summary>
    public static Schedule Linear(double initial, double final = 0) => new(
        p => final + p * (initial - final),
        final == 0 ? "lin_" + Format(initial) : $"lin_{Format(initial)}_{Format(final)}",
        ScheduleKind.Linear);

    /// <summary>Any function of the progress remaining; such a model trains and checkpoints, but <c>Save</c> refuses it (a function cannot be written to a file).</summary>
    public static Schedule Custom(Func<double, double> value) => new(value, "custom", ScheduleKind.Custom);

    /// <summary>Parses a number, <c>lin_X</c> (X to 0) or <c>lin_X_Y</c> (X to Y, as <see cref="Linear"/> writes it); returns false on anything else.</summary>
    public static bool TryParse(string text, out Schedule schedule)
    {
        text = text.Trim();
        if (TryParseNumber(text, out var constant))
        {
            schedule = Constant(constant);
            return true;
        }
        if (text.StartsWith("lin_", StringComparison.Ordinal))
        {
            var bounds = text[4..].Split('_');
            if (bounds.Length == 1 && TryParseNumber(bounds[0], out var initial))
            {
                schedule = Linear(initial);
                return true;
            }
            if (bounds.Length == 2 && TryParseNumber(bounds[0], out var from) && TryParseNumber(bounds[1], out var to))
            {
                schedule = Linear(from, to);
                return true;
            }
        }
        schedule = null!;
        return false;
    }

    public static implicit operator Schedule(double value) => Constant(value);

    public override string ToString() => Text;

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}

/// <summary>What a <see cref="Schedule"/> is made of.</summary>
public enum ScheduleKind
{
    /// <summary>One value throughout.</summary>
    Constant,

    /// <summary>A straight line from a start to an end value.</summary>
    Linear,

    /// <summary>A C# function of the progress remaining.</summary>
    Custom,
}
