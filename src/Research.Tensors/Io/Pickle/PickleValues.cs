namespace Research.Tensors.Io.Pickle;

/// <summary>A Python tuple read from (or to be written to) a pickle.</summary>
public sealed record PyTuple(IReadOnlyList<object?> Items)
{
    /// <summary>An empty tuple.</summary>
    public static PyTuple Empty { get; } = new(Array.Empty<object?>());

    /// <summary>A tuple of <paramref name="items"/>.</summary>
    public static PyTuple Of(params object?[] items) => new(items);
}

/// <summary>A Python dict in insertion order (keys are strings, integers or other plain values).</summary>
public sealed class PyDict
{
    private readonly List<KeyValuePair<object?, object?>> _entries = [];

    /// <summary>The entries in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    /// <summary>Sets <paramref name="key"/> (replacing an equal key, as Python does).</summary>
    public void Set(object? key, object? value)
    {
        for (int i = 0; i < _entries.Count; i++)
            if (Equals(_entries[i].Key, key))
            {
                _entries[i] = new(key, value);
                return;
            }
        _entries.Add(new(key, value));
    }

    /// <summary>The value of <paramref name="key"/>, or false.</summary>
    public bool TryGet(object? key, out object? value)
    {
        foreach (var (k, v) in _entries)
            if (Equals(k, key))
            {
                value = v;
                return true;
            }
        value = null;
        return false;
    }
}

/// <summary>A reference to a Python global (<c>module.name</c>), never resolved or imported here.</summary>
public sealed record PyGlobal(string Module, string Name)
{
    /// <inheritdoc />
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// An object a pickle would construct by calling <see cref="Callable"/> with <see cref="Arguments"/> (REDUCE/NEWOBJ), kept inert:
/// nothing is called. Items appended, entries set and BUILD state are recorded on it.
/// </summary>
public sealed class PyObject(object? callable, PyTuple arguments)
{
    /// <summary>What would be called (usually a <see cref="PyGlobal"/>).</summary>
    public object? Callable { get; } = callable;

    /// <summary>The call's arguments.</summary>
    public PyTuple Arguments { get; } = arguments;

    /// <summary>Items appended (APPEND/APPENDS), for list-like objects.</summary>
    public List<object?> Items { get; } = [];

    /// <summary>Entries set (SETITEM/SETITEMS), for dict-like objects.</summary>
    public PyDict Entries { get; } = new();

    /// <summary>The state passed to BUILD, or null.</summary>
    public object? State { get; set; }
}

/// <summary>A persistent id (BINPERSID): in PyTorch files, the tuple describing a storage.</summary>
public sealed record PyPersistentId(object? Id);
