using Research.Abstractions.Spaces;

namespace Research.Rl.Policies;

/// <summary>Turns flat observations into network inputs as Stable-Baselines' <c>preprocess_obs</c>: Box floats as they are, uint8 images scaled to [0, 1], Discrete one-hot, MultiDiscrete concatenated one-hots, Dict subspaces concatenated in key order.</summary>
public static class ObservationPreprocessor
{
    /// <summary>Number of network inputs one observation of <paramref name="space"/> becomes.</summary>
    public static int FeatureSize(Space space) => space switch
    {
        Box box => box.FlatSize,
        Discrete d => d.N,
        MultiDiscrete md => md.Nvec.Sum(),
        MultiBinary mb => mb.N,
        DictSpace dict => dict.Spaces.Sum(s => FeatureSize(s.Value)),
        _ => throw new NotSupportedException($"Observation space {space} cannot be preprocessed."),
    };

    /// <summary>True for images (see <see cref="ImageLayout"/>): Stable-Baselines' image spaces, a uint8 Box of rank 3 with bounds 0 and 255, and frame stacks of them.</summary>
    public static bool IsImage(Space space) => ImageLayout.Of(space) is not null;

    /// <summary>Writes the network inputs of <paramref name="batch"/> flat observations into <paramref name="destination"/> (<c>batch × FeatureSize</c>).</summary>
    public static void Write(Space space, ReadOnlySpan<float> observations, int batch, Span<float> destination)
    {
        int flat = space.FlatSize, features = FeatureSize(space);
        if (observations.Length != batch * flat)
            throw new ArgumentException($"Expected {batch} observations of {flat} values ({space}), got {observations.Length} values.", nameof(observations));
        for (int b = 0; b < batch; b++)
            WriteOne(space, observations.Slice(b * flat, flat), destination.Slice(b * features, features));
    }

    private static void WriteOne(Space space, ReadOnlySpan<float> value, Span<float> destination)
    {
        switch (space)
        {
            case Box when IsImage(space):
                for (int k = 0; k < value.Length; k++) destination[k] = value[k] / 255f;
                break;
            case Box or MultiBinary:
                value.CopyTo(destination);
                break;
            case Discrete d:
                destination.Clear();
                destination[OneHotIndex(value[0] - d.Start, d.N, space)] = 1f;
                break;
            case MultiDiscrete md:
                destination.Clear();
                for (int i = 0, offset = 0; i < md.Nvec.Length; offset += md.Nvec[i], i++)
                    destination[offset + OneHotIndex(value[i], md.Nvec[i], space)] = 1f;
                break;
            case DictSpace dict:
                int input = 0, output = 0;
                foreach (var (_, sub) in dict.Spaces)
                {
                    int flat = sub.FlatSize, features = FeatureSize(sub);
                    WriteOne(sub, value.Slice(input, flat), destination.Slice(output, features));
                    input += flat;
                    output += features;
                }
                break;
            default:
                throw new NotSupportedException($"Observation space {space} cannot be preprocessed.");
        }
    }

    private static int OneHotIndex(float value, int n, Space space)
    {
        int index = (int)value;
        if (index != value || index < 0 || index >= n)
            throw new SpaceMismatchException($"Observation {value} is not a valid index of {space}.");
        return index;
    }
}
