using Research.Abstractions.Spaces;
using Research.Tensors.Io;

namespace Research.Rl.Imitation;

/// <summary>Checks that expert data fits an environment's observation and action spaces, naming the first row that does not.</summary>
internal static class ExpertSpaceCheck
{
    public static void Observations(ExpertTrajectories data, Space space, int observationSize)
    {
        if (observationSize != space.FlatSize)
            throw new ExpertDataException($"{data.Source}: key 'obs' has {observationSize} values per step (shape {NpyArray.FormatShape(data.ObservationShape)}) but the observation space {space} has {space.FlatSize}.");
        if (data.HasImages) return;
        Rows(data, "obs", data.Observations, observationSize, space);
    }

    public static void Actions(ExpertTrajectories data, Space space)
    {
        if (data.ActionSize != space.FlatSize)
            throw new ExpertDataException($"{data.Source}: key 'actions' has {data.ActionSize} values per step (shape {NpyArray.FormatShape(data.ActionShape)}) but the action space {space} has {space.FlatSize}.");
        bool integral = data.ActionDType is not (NpyDType.Float32 or NpyDType.Float64);
        if (space is Box && integral)
            throw new ExpertDataException($"{data.Source}: key 'actions' holds {data.ActionDType} values (discrete actions) but the action space {space} is continuous.");
        Rows(data, "actions", data.Actions, data.ActionSize, space);
    }

    private static void Rows(ExpertTrajectories data, string key, float[] values, int size, Space space)
    {
        for (int row = 0; row < data.Count; row++)
        {
            var value = values.AsSpan(row * size, size);
            if (space.Explain(value) is { } reason)
                throw new ExpertDataException($"{data.Source}: {key}[{row}] = {Space.Format(value)} is not in {space}: {reason}.");
        }
    }
}
