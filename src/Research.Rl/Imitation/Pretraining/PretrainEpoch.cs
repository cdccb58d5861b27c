namespace Research.Rl.Imitation.Pretraining;

/// <summary>The losses of one behaviour-cloning epoch; <see cref="ValidationLoss"/> is NaN in epochs that were not validated.</summary>
public readonly record struct PretrainEpoch(int Epoch, double TrainLoss, double ValidationLoss);
