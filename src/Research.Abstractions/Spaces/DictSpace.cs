namespace Research.Abstractions.Spaces;

/// <summary>A dictionary of named subspaces, Gymnasium's <c>Dict</c>; encoded as the subspaces in key order.</summary>
public sealed class DictSpace : Space
{
    /// <summary>Creates the space; keys are kept in the given order.</summary>
    public DictSpace(IEnumerable<KeyValuePair<string, Space>> spaces)
    {
        Spaces = spaces.ToArray();
        if (Spaces.Count == 0) throw new ArgumentException("DictSpace: needs at least one subspace.");
        var duplicate = Spaces.GroupBy(s => s.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"DictSpace: key '{duplicate.Key}' appears twice.");
    }

    /// <summary>The subspaces in encoding order.</summary>
    public IReadOnlyList<KeyValuePair<string, Space>> Spaces { get; }

    /// <summary>The subspace named <paramref name="key"/>.</summary>
    public Space this[string key] => Spaces.First(s => s.Key == key).Value;

    /// <summary>Where the subspace named <paramref name="key"/> starts in the flat encoding.</summary>
    public int OffsetOf(string key)
    {
        int offset = 0;
        foreach (var (name, space) in Spaces)
        {
            if (name == key) return offset;
            offset += space.FlatSize;
        }
        throw new KeyNotFoundException($"DictSpace has no key '{key}'; keys: {string.Join(", ", Spaces.Select(s => s.Key))}.");
    }

    public override IReadOnlyList<int> Shape => [];
    public override string DType => "dict";
    public override int FlatSize => Spaces.Sum(s => s.Value.FlatSize);

    public override string? Explain(ReadOnlySpan<float> value)
    {
        if (CheckLength(value, FlatSize) is { } bad) return bad;
        int offset = 0;
        foreach (var (name, space) in Spaces)
        {
            if (space.Explain(value.Slice(offset, space.FlatSize)) is { } reason) return $"'{name}': {reason}";
            offset += space.FlatSize;
        }
        return null;
    }

    public override void Sample(Random random, Span<float> destination)
    {
        int offset = 0;
        foreach (var (_, space) in Spaces)
        {
            space.Sample(random, destination.Slice(offset, space.FlatSize));
            offset += space.FlatSize;
        }
    }

    public override string ToString() => "Dict(" + string.Join(", ", Spaces.Select(s => $"'{s.Key}': {s.Value}")) + ")";
}
