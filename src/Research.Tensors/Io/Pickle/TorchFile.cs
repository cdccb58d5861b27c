using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Research.Tensors.Io.Pickle;

/// <summary>A tensor read from or written to a PyTorch file: its elements (C order) and, when read, the storage it came from.</summary>
public sealed class TorchTensor(NpyArray array, string? storageKey = null)
{
    /// <summary>The elements with their dtype and shape.</summary>
    public NpyArray Array { get; } = array;

    /// <summary>The storage record the tensor was read from (tensors sharing one storage share the key), or null.</summary>
    public string? StorageKey { get; } = storageKey;
}

/// <summary>Bounds on what reading an untrusted PyTorch file may allocate.</summary>
/// <param name="MaxPickleBytes">Largest <c>data.pkl</c> accepted.</param>
/// <param name="MaxStorageBytes">Largest total of all storages accepted.</param>
public sealed record TorchReadLimits(long MaxPickleBytes = 64L << 20, long MaxStorageBytes = 1L << 30)
{
    /// <summary>The defaults: 64 MiB of pickle, 1 GiB of storages.</summary>
    public static TorchReadLimits Default { get; } = new();
}

internal static class TorchStorageTypes
{
    // torch.<Name>Storage → (dtype written, bytes per element in the file)
    private static readonly Dictionary<string, (NpyDType DType, int Size)> Types = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = (NpyDType.Float32, 4), ["DoubleStorage"] = (NpyDType.Float64, 8), ["HalfStorage"] = (NpyDType.Float32, 2),
        ["BFloat16Storage"] = (NpyDType.Float32, 2), ["LongStorage"] = (NpyDType.Int64, 8), ["IntStorage"] = (NpyDType.Int32, 4),
        ["ShortStorage"] = (NpyDType.Int16, 2), ["CharStorage"] = (NpyDType.Int8, 1), ["ByteStorage"] = (NpyDType.UInt8, 1),
        ["BoolStorage"] = (NpyDType.Bool, 1),
    };

    public static IEnumerable<string> Names => Types.Keys;

    public static bool TryGet(string name, out (NpyDType DType, int Size) type) => Types.TryGetValue(name, out type);

    public static int ElementSize(NpyDType dtype) => dtype switch
    {
        NpyDType.Float64 or NpyDType.Int64 => 8,
        NpyDType.Float32 or NpyDType.Int32 => 4,
        NpyDType.Int16 => 2,
        _ => 1,
    };

    public static string For(NpyDType dtype) => dtype switch
    {
        NpyDType.Float32 => "FloatStorage",
        NpyDType.Float64 => "DoubleStorage",
        NpyDType.Int64 => "LongStorage",
        NpyDType.Int32 => "IntStorage",
        NpyDType.Int16 => "ShortStorage",
        NpyDType.Int8 => "CharStorage",
        NpyDType.UInt8 => "ByteStorage",
        NpyDType.Bool => "BoolStorage",
        _ => throw new ArgumentException($"PyTorch has no storage for {dtype}."),
    };
}

/// <summary>
/// PyTorch's zip serialization (<c>torch.save</c> since 1.6): <c>&lt;name&gt;/data.pkl</c> (a protocol-2 pickle whose tensors point at
/// storages by persistent id), <c>&lt;name&gt;/data/&lt;key&gt;</c> (each storage's raw little-endian bytes) and <c>&lt;name&gt;/version</c>.
/// Reads only state dicts and optimizer state dicts (<see cref="PickleRules.TorchStateDict"/>; never runs the pickle) and writes them.
/// </summary>
public static class TorchFile
{
    private const int MaxDepth = 64;

    /// <summary>The modification time written on every record (the zip format's earliest), so files are reproducible.</summary>
    public static DateTimeOffset EntryTime { get; } = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Reads a <c>torch.save</c> file of a state dict (or of nested dicts, lists and tuples of tensors and numbers):
    /// <c>OrderedDict</c>s and dicts become <see cref="PyDict"/>, tensors <see cref="TorchTensor"/>. Failures name <paramref name="source"/> and the reason.
    /// </summary>
    public static object? Read(byte[] file, string source, TorchReadLimits? limits = null)
    {
        limits ??= TorchReadLimits.Default;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new TorchFormatException(source, $"not a PyTorch zip file ({e.Message}); files from torch.save before PyTorch 1.6 (legacy format) are not read");
        }
        using (zip)
        try
        {
            var pickleEntries = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
            if (pickleEntries.Count != 1)
                throw new TorchFormatException(source, pickleEntries.Count == 0 ? "no '<name>/data.pkl' record: not a torch.save file" : "more than one data.pkl record");
            string prefix = pickleEntries[0].FullName[..^"data.pkl".Length];
            var version = zip.GetEntry(prefix + "version");
            if (version is null) throw new TorchFormatException(source, $"no '{prefix}version' record");
            string versionText = Encoding.ASCII.GetString(ZipEntryReader.ReadAll(version, 64, source)).Trim();
            if (!int.TryParse(versionText, out int formatVersion) || formatVersion < 1 || formatVersion > 3)
                throw new TorchFormatException(source, $"serialization format version '{versionText}' is not 1–3 (a newer PyTorch?)");
            var pickle = ZipEntryReader.ReadAll(pickleEntries[0], limits.MaxPickleBytes, source);
            object? tree;
            try
            {
                tree = PickleReader.Read(pickle, PickleRules.TorchStateDict, $"{source} ({pickleEntries[0].FullName})");
            }
            catch (PickleFormatException e)
            {
                throw new TorchFormatException(source, e.Message.Replace($"{source} (", "(", StringComparison.Ordinal), e);
            }
            var storages = new StorageReader(zip, prefix, source, limits);
            return Interpret(tree, storages, 0, source);
        }
        catch (InvalidDataException e)
        {
            throw new TorchFormatException(source, e.Message.StartsWith(source + ": ", StringComparison.Ordinal) ? e.Message[(source.Length + 2)..] : e.Message, e);
        }
    }

    /// <summary>Writes <paramref name="value"/> (dicts, lists, tuples, numbers, strings, <see cref="TorchTensor"/>s) as <c>torch.save</c> does, under the record name <c>archive</c>.</summary>
    public static void Write(Stream destination, object? value)
    {
        var storages = new List<(string Key, NpyArray Array)>();
        var keys = new Dictionary<Array, string>(ReferenceEqualityComparer.Instance);
        object? Convert(object? node) => node switch
        {
            TorchTensor t => TensorCall(t.Array, keys, storages),
            PyDict d => CopyDict(d, Convert),
            PyObject o => CopyObject(o, Convert),
            PyTuple t => new PyTuple(t.Items.Select(Convert).ToArray()),
            List<object?> l => l.Select(Convert).ToList(),
            _ => node,
        };
        var pickle = PickleWriter.Serialize(Convert(value));
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, "archive/data.pkl", pickle);
        foreach (var (key, array) in storages) Add(zip, "archive/data/" + key, StorageBytes(array));
        Add(zip, "archive/version", "3\n"u8.ToArray());
    }

    /// <summary>A state dict (<c>OrderedDict</c> of name → tensor) as <c>module.state_dict()</c> returns it, for <see cref="Write"/>.</summary>
    public static PyObject StateDict(IEnumerable<KeyValuePair<string, TorchTensor>> tensors)
    {
        var dict = new PyObject(new PyGlobal("collections", "OrderedDict"), PyTuple.Empty);
        foreach (var (name, tensor) in tensors) dict.Entries.Set(name, tensor);
        return dict;
    }

    private static PyObject TensorCall(NpyArray array, Dictionary<Array, string> keys, List<(string, NpyArray)> storages)
    {
        if (!keys.TryGetValue(array.Data, out var key))
        {
            key = storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            keys[array.Data] = key;
            storages.Add((key, array));
        }
        var shape = array.Shape.Select(d => (object?)(long)d).ToArray();
        var stride = new object?[shape.Length];
        long step = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            stride[d] = step;
            step *= array.Shape[d];
        }
        var storage = new PyPersistentId(PyTuple.Of("storage", new PyGlobal("torch", TorchStorageTypes.For(array.DType)), key, "cpu", (long)array.Count));
        var hooks = new PyObject(new PyGlobal("collections", "OrderedDict"), PyTuple.Empty);
        return new PyObject(new PyGlobal("torch._utils", "_rebuild_tensor_v2"), PyTuple.Of(storage, 0L, new PyTuple(shape), new PyTuple(stride), false, hooks));
    }

    private static PyDict CopyDict(PyDict source, Func<object?, object?> convert)
    {
        var copy = new PyDict();
        foreach (var (k, v) in source.Entries) copy.Set(k, convert(v));
        return copy;
    }

    private static PyObject CopyObject(PyObject source, Func<object?, object?> convert)
    {
        var copy = new PyObject(source.Callable, source.Arguments) { State = source.State };
        copy.Items.AddRange(source.Items.Select(convert));
        foreach (var (k, v) in source.Entries.Entries) copy.Entries.Set(k, convert(v));
        return copy;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        // Stored, as torch.save writes its records; a fixed time so equal contents give equal bytes.
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private static byte[] StorageBytes(NpyArray array)
    {
        var bytes = new byte[array.Count * TorchStorageTypes.ElementSize(array.DType)];
        var span = bytes.AsSpan();
        switch (array.Data)
        {
            case float[] f: for (int i = 0; i < f.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], f[i]); break;
            case double[] d: for (int i = 0; i < d.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(span[(8 * i)..], d[i]); break;
            case long[] l: for (int i = 0; i < l.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(span[(8 * i)..], l[i]); break;
            case int[] n: for (int i = 0; i < n.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(span[(4 * i)..], n[i]); break;
            case short[] s: for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(span[(2 * i)..], s[i]); break;
            case sbyte[] c: for (int i = 0; i < c.Length; i++) bytes[i] = (byte)c[i]; break;
            case byte[] b: b.CopyTo(bytes, 0); break;
            case bool[] z: for (int i = 0; i < z.Length; i++) bytes[i] = z[i] ? (byte)1 : (byte)0; break;
            default: throw new ArgumentException($"PyTorch has no storage for {array.DType}.");
        }
        return bytes;
    }

    private static object? Interpret(object? node, StorageReader storages, int depth, string source)
    {
        if (depth > MaxDepth) throw new TorchFormatException(source, $"nesting deeper than {MaxDepth} levels");
        object? Next(object? child) => Interpret(child, storages, depth + 1, source);
        switch (node)
        {
            case null or bool or long or double or string: return node;
            case PyTuple t: return new PyTuple(t.Items.Select(Next).ToArray());
            case List<object?> l: return l.Select(Next).ToList();
            case PyDict d: return CopyDict(d, Next);
            case PyObject { Callable: PyGlobal { Module: "collections", Name: "OrderedDict" } } o:
                if (o.Arguments.Items.Count != 0 || o.Items.Count != 0)
                    throw new TorchFormatException(source, "an OrderedDict built with arguments or list items");
                if (o.State is not (null or PyDict))
                    throw new TorchFormatException(source, "an OrderedDict with non-dict state");
                return CopyDict(o.Entries, Next);
            case PyObject { Callable: PyGlobal { Module: "torch._utils", Name: "_rebuild_tensor_v2" } } o:
                return storages.Tensor(o.Arguments);
            default:
                throw new TorchFormatException(source, $"unexpected {PickleReader.Describe(node)} in a state dict");
        }
    }

    /// <summary>Loads each storage once (tensors sharing one share its elements) within the byte budget.</summary>
    private sealed class StorageReader(ZipArchive zip, string prefix, string source, TorchReadLimits limits)
    {
        private readonly Dictionary<string, (Array Data, NpyDType DType)> _loaded = new(StringComparer.Ordinal);
        private long _bytes;

        public TorchTensor Tensor(PyTuple arguments)
        {
            var a = arguments.Items;
            if (a.Count is < 6 or > 7 || a[0] is not PyPersistentId { Id: PyTuple id } || a[1] is not long offset
                || a[2] is not PyTuple size || a[3] is not PyTuple stride || a[4] is not bool)
                throw new TorchFormatException(source, "_rebuild_tensor_v2 called with arguments other than (storage, offset, size, stride, requires_grad, hooks)");
            var (data, dtype, key) = Storage(id);
            var shape = Ints(size, "size");
            var strides = Ints(stride, "stride");
            if (shape.Length != strides.Length) throw new TorchFormatException(source, $"tensor of storage '{key}' has {shape.Length} sizes but {strides.Length} strides");
            long count = 1, last = offset;
            for (int d = 0; d < shape.Length; d++)
            {
                if (shape[d] < 0 || strides[d] < 0) throw new TorchFormatException(source, $"tensor of storage '{key}' has a negative size or stride");
                count *= shape[d];
                last += (shape[d] - 1L) * strides[d];
            }
            if (count > 0 && (offset < 0 || last >= data.Length))
                throw new TorchFormatException(source, $"tensor of storage '{key}' (offset {offset}, size ({string.Join(", ", shape)}), stride ({string.Join(", ", strides)})) reaches element {last} of a storage of {data.Length}");
            return new TorchTensor(new NpyArray(Gather(data, (int)offset, shape, strides), shape), key);
        }

        private (Array Data, NpyDType DType, string Key) Storage(PyTuple id)
        {
            var p = id.Items;
            if (p.Count != 5 || p[0] is not "storage" || p[1] is not PyGlobal { Module: "torch" } type || p[2] is not string key
                || p[3] is not string || p[4] is not long numel || !TorchStorageTypes.TryGet(type.Name, out var storageType))
                throw new TorchFormatException(source, "a persistent id that is not ('storage', torch.<Type>Storage, key, location, numel)");
            if (_loaded.TryGetValue(key, out var cached)) return (cached.Data, cached.DType, key);
            var entry = zip.GetEntry($"{prefix}data/{key}") ?? throw new TorchFormatException(source, $"storage '{key}' has no record '{prefix}data/{key}'");
            long expected = numel * storageType.Size;
            if (numel < 0 || entry.Length != expected)
                throw new TorchFormatException(source, $"storage '{key}' ({type.Name}, {numel} elements) should be {expected} bytes but its record is {entry.Length}");
            _bytes += expected;
            if (_bytes > limits.MaxStorageBytes)
                throw new TorchFormatException(source, $"storages exceed the limit of {limits.MaxStorageBytes} bytes");
            var bytes = ZipEntryReader.ReadAll(entry, expected, source);
            var data = Decode(bytes, type.Name, (int)numel);
            _loaded[key] = (data, storageType.DType);
            return (data, storageType.DType, key);
        }

        private int[] Ints(PyTuple tuple, string what) => tuple.Items.Select(v => v is long l && l is >= 0 and <= int.MaxValue
            ? (int)l
            : throw new TorchFormatException(source, $"tensor {what} {PickleReader.Describe(v)} is not a non-negative integer")).ToArray();

        private static Array Decode(byte[] b, string type, int n)
        {
            var s = b.AsSpan();
            switch (type)
            {
                case "FloatStorage": { var r = new float[n]; for (int i = 0; i < n; i++) r[i] = BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]); return r; }
                case "DoubleStorage": { var r = new double[n]; for (int i = 0; i < n; i++) r[i] = BinaryPrimitives.ReadDoubleLittleEndian(s[(8 * i)..]); return r; }
                case "HalfStorage": { var r = new float[n]; for (int i = 0; i < n; i++) r[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(s[(2 * i)..]); return r; }
                case "BFloat16Storage": { var r = new float[n]; for (int i = 0; i < n; i++) r[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(s[(2 * i)..]) << 16); return r; }
                case "LongStorage": { var r = new long[n]; for (int i = 0; i < n; i++) r[i] = BinaryPrimitives.ReadInt64LittleEndian(s[(8 * i)..]); return r; }
                case "IntStorage": { var r = new int[n]; for (int i = 0; i < n; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]); return r; }
                case "ShortStorage": { var r = new short[n]; for (int i = 0; i < n; i++) r[i] = BinaryPrimitives.ReadInt16LittleEndian(s[(2 * i)..]); return r; }
                case "CharStorage": { var r = new sbyte[n]; for (int i = 0; i < n; i++) r[i] = (sbyte)b[i]; return r; }
                case "ByteStorage": return b;
                default: { var r = new bool[n]; for (int i = 0; i < n; i++) r[i] = b[i] != 0; return r; }
            }
        }

        private static Array Gather(Array storage, int offset, int[] shape, int[] strides)
        {
            long count = 1;
            foreach (int d in shape) count *= d;
            var result = System.Array.CreateInstance(storage.GetType().GetElementType()!, count);
            var index = new int[shape.Length];
            for (long k = 0; k < count; k++)
            {
                long source = offset;
                for (int d = 0; d < shape.Length; d++) source += (long)index[d] * strides[d];
                System.Array.Copy(storage, source, result, k, 1);
                for (int d = shape.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < shape[d]) break;
                    index[d] = 0;
                }
            }
            return result;
        }
    }
}

/// <summary>A PyTorch file that is refused: the message names the file and the reason.</summary>
public sealed class TorchFormatException(string source, string reason, Exception? inner = null) : IOException($"{source}: {reason}", inner)
{
    /// <summary>The file (or archive entry) read.</summary>
    public string File { get; } = source;

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;
}
