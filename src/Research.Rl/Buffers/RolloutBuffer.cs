namespace Research.Rl.Buffers;

/// <summary>
/// The on-policy rollout storage of Stable-Baselines' <c>RolloutBuffer</c>: <c>[nSteps × nEnvs × …]</c> preallocated float arrays,
/// filled once per vector step, then turned into GAE(λ) advantages and returns and served as shuffled minibatches.
/// </summary>
/// <remarks>
/// Row <c>i = step * nEnvs + env</c> of every array is one transition; minibatch indices refer to these rows.
/// Nothing here allocates after construction.
/// </remarks>
public sealed class RolloutBuffer
{
    private readonly int[] _permutation;

    // SB3 multiplies gamma by lambda in double precision before the float32 array operation; keep that rounding.
    private readonly float _gammaTimesLambda;

    /// <summary>Creates an empty buffer for <paramref name="nSteps"/> steps of <paramref name="nEnvs"/> environments.</summary>
    public RolloutBuffer(int nSteps, int nEnvs, int observationSize, int actionSize, double gamma = 0.99, double gaeLambda = 0.95)
    {
        RequirePositive(nSteps, nameof(nSteps));
        RequirePositive(nEnvs, nameof(nEnvs));
        RequirePositive(observationSize, nameof(observationSize));
        RequirePositive(actionSize, nameof(actionSize));
        if (gamma is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "RolloutBuffer: gamma must be in [0, 1].");
        if (gaeLambda is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(gaeLambda), gaeLambda, "RolloutBuffer: gae_lambda must be in [0, 1].");
        NumSteps = nSteps;
        NumEnvs = nEnvs;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Gamma = (float)gamma;
        GaeLambda = (float)gaeLambda;
        _gammaTimesLambda = (float)(gamma * gaeLambda);
        int rows = nSteps * nEnvs;
        Observations = new float[rows * observationSize];
        Actions = new float[rows * actionSize];
        Rewards = new float[rows];
        EpisodeStarts = new float[rows];
        Values = new float[rows];
        LogProbs = new float[rows];
        Advantages = new float[rows];
        Returns = new float[rows];
        _permutation = new int[rows];
    }

    /// <summary>Steps per environment in one rollout (SB3's <c>buffer_size</c>).</summary>
    public int NumSteps { get; }

    /// <summary>Number of environments.</summary>
    public int NumEnvs { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Discount factor.</summary>
    public float Gamma { get; }

    /// <summary>GAE's λ (1 gives Monte-Carlo advantages, 0 one-step TD).</summary>
    public float GaeLambda { get; }

    /// <summary>Total transitions when full: <c>NumSteps × NumEnvs</c>.</summary>
    public int Size => _permutation.Length;

    /// <summary>Index of the next step to write.</summary>
    public int Position { get; private set; }

    /// <summary>True once <see cref="NumSteps"/> steps were added.</summary>
    public bool IsFull { get; private set; }

    /// <summary>Observations, <c>[NumSteps × NumEnvs × ObservationSize]</c>.</summary>
    public float[] Observations { get; }

    /// <summary>Actions in the flat encoding, <c>[NumSteps × NumEnvs × ActionSize]</c>.</summary>
    public float[] Actions { get; }

    /// <summary>Rewards (with truncation bootstraps added), <c>[NumSteps × NumEnvs]</c>.</summary>
    public float[] Rewards { get; }

    /// <summary>1 where the observation of that row starts an episode, else 0.</summary>
    public float[] EpisodeStarts { get; }

    /// <summary>Value estimates of the observations.</summary>
    public float[] Values { get; }

    /// <summary>Log-probabilities of the actions under the rollout policy.</summary>
    public float[] LogProbs { get; }

    /// <summary>GAE(λ) advantages, valid after <see cref="ComputeReturnsAndAdvantage"/>.</summary>
    public float[] Advantages { get; }

    /// <summary>Returns (<c>advantages + values</c>, SB3's TD(λ) targets), valid after <see cref="ComputeReturnsAndAdvantage"/>.</summary>
    public float[] Returns { get; }

    /// <summary>Empties the buffer (zeroing its arrays as SB3 does) for the next rollout.</summary>
    public void Reset()
    {
        Array.Clear(Observations);
        Array.Clear(Actions);
        Array.Clear(Rewards);
        Array.Clear(EpisodeStarts);
        Array.Clear(Values);
        Array.Clear(LogProbs);
        Array.Clear(Advantages);
        Array.Clear(Returns);
        Position = 0;
        IsFull = false;
    }

    /// <summary>Stores one vector step: each argument holds one row per environment.</summary>
    /// <param name="observations">The observations the actions were chosen from, <c>[NumEnvs × ObservationSize]</c>.</param>
    /// <param name="actions">The actions taken, <c>[NumEnvs × ActionSize]</c>.</param>
    /// <param name="rewards">The rewards received.</param>
    /// <param name="episodeStarts">Whether each observation is the first of its episode (the previous step ended it).</param>
    /// <param name="values">Value estimates of the observations.</param>
    /// <param name="logProbs">Log-probabilities of the actions.</param>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> episodeStarts, ReadOnlySpan<float> values, ReadOnlySpan<float> logProbs)
    {
        if (IsFull)
            throw new InvalidOperationException($"RolloutBuffer: all {NumSteps} steps are filled; call Reset before adding more.");
        RequireLength(observations, NumEnvs * ObservationSize, nameof(observations));
        RequireLength(actions, NumEnvs * ActionSize, nameof(actions));
        RequireLength(rewards, NumEnvs, nameof(rewards));
        RequireLength(episodeStarts, NumEnvs, nameof(episodeStarts));
        RequireLength(values, NumEnvs, nameof(values));
        RequireLength(logProbs, NumEnvs, nameof(logProbs));

        int row = Position * NumEnvs;
        observations.CopyTo(Observations.AsSpan(row * ObservationSize));
        actions.CopyTo(Actions.AsSpan(row * ActionSize));
        rewards.CopyTo(Rewards.AsSpan(row));
        values.CopyTo(Values.AsSpan(row));
        logProbs.CopyTo(LogProbs.AsSpan(row));
        for (int e = 0; e < NumEnvs; e++) EpisodeStarts[row + e] = episodeStarts[e] ? 1f : 0f;

        Position++;
        if (Position == NumSteps) IsFull = true;
    }

    /// <summary>
    /// Bootstraps a truncated episode as SB3 does: adds <c>Gamma × V(terminal observation)</c> to the reward stored at
    /// (<paramref name="stepIndex"/>, <paramref name="envIndex"/>), so GAE treats the cut as if the value were collected.
    /// </summary>
    public void AddTruncationBootstrap(int stepIndex, int envIndex, float terminalValue)
    {
        if ((uint)stepIndex >= (uint)Position)
            throw new ArgumentOutOfRangeException(nameof(stepIndex), stepIndex, $"RolloutBuffer: step {stepIndex} is not filled (steps filled: {Position}).");
        if ((uint)envIndex >= (uint)NumEnvs)
            throw new ArgumentOutOfRangeException(nameof(envIndex), envIndex, $"RolloutBuffer: there are {NumEnvs} environments.");
        Rewards[stepIndex * NumEnvs + envIndex] += Gamma * terminalValue;
    }

    /// <summary>
    /// Computes GAE(λ) advantages and returns exactly as SB3's <c>compute_returns_and_advantage</c>, in float32.
    /// </summary>
    /// <param name="lastValues">Value estimates of the observations after the last stored step.</param>
    /// <param name="dones">Whether each environment's episode ended at the last stored step.</param>
    public void ComputeReturnsAndAdvantage(ReadOnlySpan<float> lastValues, ReadOnlySpan<bool> dones)
    {
        if (!IsFull)
            throw new InvalidOperationException($"RolloutBuffer: only {Position} of {NumSteps} steps are filled; advantages need a full rollout.");
        RequireLength(lastValues, NumEnvs, nameof(lastValues));
        RequireLength(dones, NumEnvs, nameof(dones));

        for (int e = 0; e < NumEnvs; e++)
        {
            float lastGaeLam = 0f;
            for (int step = NumSteps - 1; step >= 0; step--)
            {
                int row = step * NumEnvs + e;
                float nextNonTerminal, nextValue;
                if (step == NumSteps - 1)
                {
                    nextNonTerminal = dones[e] ? 0f : 1f;
                    nextValue = lastValues[e];
                }
                else
                {
                    nextNonTerminal = 1f - EpisodeStarts[row + NumEnvs];
                    nextValue = Values[row + NumEnvs];
                }
                float delta = Rewards[row] + Gamma * nextValue * nextNonTerminal - Values[row];
                lastGaeLam = delta + _gammaTimesLambda * nextNonTerminal * lastGaeLam;
                Advantages[row] = lastGaeLam;
                Returns[row] = lastGaeLam + Values[row];
            }
        }
    }

    /// <summary>
    /// Shuffles all rows with <paramref name="random"/> and returns them as consecutive batches of <paramref name="batchSize"/>
    /// (the last one shorter when the size does not divide), as SB3's <c>get(batch_size)</c>; every row appears exactly once.
    /// </summary>
    /// <remarks>The batches are views of one permutation array owned by the buffer: a new call reshuffles it.</remarks>
    public MinibatchIndices GetMinibatches(int batchSize, IRandomSource random)
    {
        if (!IsFull)
            throw new InvalidOperationException($"RolloutBuffer: only {Position} of {NumSteps} steps are filled; minibatches need a full rollout.");
        RequirePositive(batchSize, nameof(batchSize));
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < _permutation.Length; i++) _permutation[i] = i;
        for (int i = _permutation.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
        return new MinibatchIndices(_permutation, batchSize);
    }

    /// <summary>Copies the rows named by <paramref name="indices"/> into <paramref name="batch"/> (its first <c>indices.Length</c> rows).</summary>
    public void Gather(ReadOnlySpan<int> indices, RolloutMinibatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (indices.Length > batch.Capacity)
            throw new ArgumentException($"RolloutBuffer: {indices.Length} indices do not fit a minibatch of capacity {batch.Capacity}.", nameof(indices));
        if (batch.ObservationSize != ObservationSize || batch.ActionSize != ActionSize)
            throw new ArgumentException(
                $"RolloutBuffer: the minibatch holds observations of {batch.ObservationSize} and actions of {batch.ActionSize} floats; the buffer has {ObservationSize} and {ActionSize}.",
                nameof(batch));
        for (int k = 0; k < indices.Length; k++)
        {
            int row = indices[k];
            if ((uint)row >= (uint)Size)
                throw new ArgumentOutOfRangeException(nameof(indices), row, $"RolloutBuffer: row index must be below {Size}.");
            Observations.AsSpan(row * ObservationSize, ObservationSize).CopyTo(batch.Observations.AsSpan(k * ObservationSize));
            Actions.AsSpan(row * ActionSize, ActionSize).CopyTo(batch.Actions.AsSpan(k * ActionSize));
            batch.OldValues[k] = Values[row];
            batch.OldLogProbs[k] = LogProbs[row];
            batch.Advantages[k] = Advantages[row];
            batch.Returns[k] = Returns[row];
        }
        batch.Count = indices.Length;
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"RolloutBuffer: {name} must be positive.");
    }

    private static void RequireLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException($"RolloutBuffer: {name} has {span.Length} elements; expected {expected}.", name);
    }
}
