namespace Research.Tensors.Optim;

/// <summary>A learning rate as a function of the progress remaining (1 at the start of training, 0 at the end), as SB3's schedules.</summary>
public sealed class LearningRateSchedule
{
    private readonly Func<double, double> _value;

    private LearningRateSchedule(Func<double, double> value) => _value = value;

    /// <summary>The same rate throughout.</summary>
    public static LearningRateSchedule Constant(double value) => new(_ => value);

    /// <summary>From <paramref name="initial"/> at the start to <paramref name="final"/> at the end.</summary>
    public static LearningRateSchedule Linear(double initial, double final = 0) => new(p => final + p * (initial - final));

    /// <summary>Any function of the progress remaining.</summary>
    public static LearningRateSchedule FromFunction(Func<double, double> value) => new(value);

    /// <summary>The rate when <paramref name="progressRemaining"/> of training is left.</summary>
    public double ValueAt(double progressRemaining) => _value(progressRemaining);

    /// <summary>Sets <paramref name="optimizer"/>'s rate for the given progress.</summary>
    public void Apply(Optimizer optimizer, double progressRemaining) => optimizer.LearningRate = ValueAt(progressRemaining);
}
