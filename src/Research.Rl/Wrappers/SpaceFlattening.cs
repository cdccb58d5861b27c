using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>
/// Gymnasium's <c>flatten_space</c>/<c>flatten</c> on the flat float encoding: Box and MultiBinary values are kept,
/// Discrete and MultiDiscrete components become one-hot vectors, DictSpace subspaces are flattened in key order.
/// </summary>
public static class SpaceFlattening
{
    /// <summary>The 1-D Box holding flattened values of <paramref name="space"/>.</summary>
    public static Box FlattenSpace(Space space)
    {
        var low = new List<float>();
        var high = new List<float>();
        var dtypes = new HashSet<string>();
        AppendBounds(space, low, high, dtypes);
        string dtype = dtypes.Count == 1 ? dtypes.First() : "float32";
        return new Box([.. low], [.. high], [low.Count], dtype);
    }

    /// <summary>Writes the flattened form of <paramref name="value"/> (a member of <paramref name="space"/>) into <paramref name="destination"/>; returns the number of values written.</summary>
    public static int Flatten(Space space, ReadOnlySpan<float> value, Span<float> destination)
    {
        switch (space)
        {
            case Discrete discrete:
                destination[..discrete.N].Clear();
                destination[OneHotIndex(value[0] - discrete.Start, discrete.N, space)] = 1f;
                return discrete.N;
            case MultiDiscrete multi:
                int offset = 0;
                for (int k = 0; k < multi.Nvec.Length; k++)
                {
                    int n = multi.Nvec[k];
                    destination.Slice(offset, n).Clear();
                    destination[offset + OneHotIndex(value[k], n, space)] = 1f;
                    offset += n;
                }
                return offset;
            case DictSpace dict:
                int written = 0, read = 0;
                foreach (var (_, sub) in dict.Spaces)
                {
                    written += Flatten(sub, value.Slice(read, sub.FlatSize), destination[written..]);
                    read += sub.FlatSize;
                }
                return written;
            default:
                value[..space.FlatSize].CopyTo(destination);
                return space.FlatSize;
        }
    }

    private static int OneHotIndex(float index, int n, Space space)
    {
        int i = (int)index;
        if (i != index || i < 0 || i >= n)
            throw new ArgumentException($"FlattenObservation: value {index} is not a valid index of {space}.");
        return i;
    }

    private static void AppendBounds(Space space, List<float> low, List<float> high, HashSet<string> dtypes)
    {
        switch (space)
        {
            case Box box:
                low.AddRange(box.Low);
                high.AddRange(box.High);
                dtypes.Add(box.DType);
                break;
            case Discrete discrete:
                AppendUnit(discrete.N, low, high);
                dtypes.Add(discrete.DType);
                break;
            case MultiDiscrete multi:
                AppendUnit(multi.Nvec.Sum(), low, high);
                dtypes.Add(multi.DType);
                break;
            case MultiBinary binary:
                AppendUnit(binary.N, low, high);
                dtypes.Add(binary.DType);
                break;
            case DictSpace dict:
                foreach (var (_, sub) in dict.Spaces) AppendBounds(sub, low, high, dtypes);
                break;
            default:
                throw new ArgumentException($"FlattenObservation: space {space} is not supported; expected a Box, Discrete, MultiDiscrete, MultiBinary or DictSpace.");
        }
    }

    private static void AppendUnit(int count, List<float> low, List<float> high)
    {
        low.AddRange(Enumerable.Repeat(0f, count));
        high.AddRange(Enumerable.Repeat(1f, count));
    }
}
