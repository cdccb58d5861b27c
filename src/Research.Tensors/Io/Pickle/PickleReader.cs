using System.Buffers.Binary;
using System.Text;

namespace Research.Tensors.Io.Pickle;

/// <summary>A pickle that is refused: the message names the source, the byte offset and the reason.</summary>
public sealed class PickleFormatException(string source, long offset, string reason)
    : IOException($"{source}: pickle byte {offset}: {reason}")
{
    /// <summary>The file or entry read.</summary>
    public string File { get; } = source;

    /// <summary>Where in the pickle the problem is.</summary>
    public long Offset { get; } = offset;

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Which opcodes and globals a <see cref="PickleReader"/> accepts; everything else is refused by name.</summary>
public sealed class PickleRules
{
    private readonly HashSet<byte> _opcodes;
    private readonly HashSet<string>? _globals;

    private PickleRules(string description, IEnumerable<byte> opcodes, IEnumerable<string>? globals)
    {
        Description = description;
        _opcodes = [.. opcodes];
        _globals = globals is null ? null : [.. globals];
    }

    /// <summary>What the rules are for, used in errors ("a PyTorch state dict").</summary>
    public string Description { get; }

    /// <summary>
    /// Exactly what <c>torch.save</c> of a state dict or an optimizer state dict emits (pickle protocol 2): containers, numbers,
    /// strings, storages as persistent ids, and the globals <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>
    /// and the typed storage classes.
    /// </summary>
    public static PickleRules TorchStateDict { get; } = new("a PyTorch state dict",
        [Op.Proto, Op.Stop, Op.Mark, Op.EmptyDict, Op.EmptyList, Op.EmptyTuple, Op.Tuple, Op.Tuple1, Op.Tuple2, Op.Tuple3,
         Op.BinPut, Op.LongBinPut, Op.BinGet, Op.LongBinGet, Op.BinInt, Op.BinInt1, Op.BinInt2, Op.Long1, Op.BinFloat, Op.None,
         Op.NewTrue, Op.NewFalse, Op.BinUnicode, Op.SetItem, Op.SetItems, Op.Append, Op.Appends, Op.Global, Op.Reduce, Op.Build,
         Op.BinPersId],
        ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
         .. TorchStorageTypes.Names.Select(n => "torch." + n)]);

    /// <summary>
    /// For reading the plain data inside a cloudpickled value (Stable-Baselines' <c>data</c> items) without running anything:
    /// every opcode of protocols 2–5 that builds data, with every global kept as an inert <see cref="PyGlobal"/> reference.
    /// </summary>
    public static PickleRules Inspection { get; } = new("inert inspection",
        [Op.Proto, Op.Stop, Op.Mark, Op.Pop, Op.PopMark, Op.Dup, Op.EmptyDict, Op.EmptyList, Op.EmptyTuple, Op.EmptySet, Op.Tuple,
         Op.Tuple1, Op.Tuple2, Op.Tuple3, Op.BinPut, Op.LongBinPut, Op.BinGet, Op.LongBinGet, Op.Memoize, Op.Frame, Op.BinInt,
         Op.BinInt1, Op.BinInt2, Op.Long1, Op.BinFloat, Op.None, Op.NewTrue, Op.NewFalse, Op.BinUnicode, Op.ShortBinUnicode,
         Op.BinUnicode8, Op.BinBytes, Op.ShortBinBytes, Op.BinBytes8, Op.SetItem, Op.SetItems, Op.Append, Op.Appends, Op.AddItems,
         Op.FrozenSet, Op.Global, Op.StackGlobal, Op.Reduce, Op.NewObj, Op.Build, Op.BinPersId],
        null);

    internal bool Allows(byte opcode) => _opcodes.Contains(opcode);

    internal bool AllowsGlobal(string module, string name) => _globals is null || _globals.Contains($"{module}.{name}");

    internal string AllowedGlobals => _globals is null ? "any (inert)" : string.Join(", ", _globals.Order(StringComparer.Ordinal));
}

/// <summary>
/// Reads a pickle into inert values (<see cref="PyTuple"/>, <see cref="PyDict"/>, lists, numbers, strings, <see cref="PyObject"/>
/// for calls that are recorded and never made) under <see cref="PickleRules"/>; no code is ever run, nothing is imported.
/// </summary>
public static class PickleReader
{
    private static readonly object Mark = new();

    /// <summary>
    /// Reads one pickle; <paramref name="source"/> names the file or entry in errors. When given, <paramref name="trace"/> receives every
    /// number and string in the order they are pushed (including those inside calls the pickle would discard).
    /// </summary>
    public static object? Read(ReadOnlySpan<byte> data, PickleRules rules, string source, List<object?>? trace = null)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        int position = 0;
        byte lastOp = 0;
        PickleFormatException Fail(string reason) => new(source, position, reason);

        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> all, ref int at, long count)
        {
            if (count < 0 || count > all.Length - at) throw new PickleFormatException(source, at, $"truncated: needs {count} more bytes, {all.Length - at} left");
            var slice = all.Slice(at, (int)count);
            at += (int)count;
            return slice;
        }

        object? Pop()
        {
            if (stack.Count == 0 || ReferenceEquals(stack[^1], Mark)) throw Fail("stack underflow");
            var value = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return value;
        }

        object? Top() => stack.Count == 0 || ReferenceEquals(stack[^1], Mark) ? throw Fail("stack underflow") : stack[^1];

        List<object?> PopToMark()
        {
            int mark = stack.FindLastIndex(v => ReferenceEquals(v, Mark));
            if (mark < 0) throw Fail("no MARK on the stack");
            var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
            stack.RemoveRange(mark, stack.Count - mark);
            return items;
        }

        void PushGlobal(string module, string name, int at)
        {
            if (!rules.AllowsGlobal(module, name))
                throw new PickleFormatException(source, at, $"global '{module}.{name}' is not allowed in {rules.Description} (allowed: {rules.AllowedGlobals}); refusing the file, nothing was run");
            stack.Add(new PyGlobal(module, name));
        }

        void SetItems(object? target, List<object?> pairs)
        {
            if (pairs.Count % 2 != 0) throw Fail("SETITEMS with an odd number of values");
            var dict = target switch
            {
                PyDict d => d,
                PyObject o => o.Entries,
                _ => throw Fail($"SETITEM on a {Describe(target)}"),
            };
            for (int i = 0; i < pairs.Count; i += 2) dict.Set(pairs[i], pairs[i + 1]);
        }

        void Append(object? target, IEnumerable<object?> items)
        {
            switch (target)
            {
                case List<object?> list: list.AddRange(items); break;
                case PyObject o: o.Items.AddRange(items); break;
                default: throw Fail($"APPEND on a {Describe(target)}");
            }
        }

        while (true)
        {
            if (trace is not null && lastOp is Op.BinInt or Op.BinInt1 or Op.BinInt2 or Op.Long1 or Op.BinFloat or Op.BinUnicode
                    or Op.ShortBinUnicode or Op.BinUnicode8)
                trace.Add(stack[^1]);
            if (position >= data.Length) throw Fail("truncated: no STOP opcode");
            int at = position;
            byte op = data[position++];
            lastOp = op;
            if (!rules.Allows(op))
                throw new PickleFormatException(source, at, $"opcode {Op.Name(op)} (0x{op:x2}) is not allowed in {rules.Description}; refusing the file, nothing was run");
            switch (op)
            {
                case Op.Proto:
                    int protocol = Take(data, ref position, 1)[0];
                    if (protocol > 5) throw new PickleFormatException(source, at, $"pickle protocol {protocol} is newer than 5");
                    break;
                case Op.Frame: Take(data, ref position, 8); break;
                case Op.Stop:
                    var result = Pop();
                    if (stack.Count != 0) throw Fail($"{stack.Count} values left on the stack at STOP");
                    return result;
                case Op.Mark: stack.Add(Mark); break;
                case Op.Pop: Pop(); break;
                case Op.PopMark: PopToMark(); break;
                case Op.Dup: stack.Add(Top()); break;
                case Op.None: stack.Add(null); break;
                case Op.NewTrue: stack.Add(true); break;
                case Op.NewFalse: stack.Add(false); break;
                case Op.BinInt: stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref position, 4))); break;
                case Op.BinInt1: stack.Add((long)Take(data, ref position, 1)[0]); break;
                case Op.BinInt2: stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(data, ref position, 2))); break;
                case Op.Long1:
                    int n = Take(data, ref position, 1)[0];
                    if (n > 8) throw new PickleFormatException(source, at, $"integer of {n} bytes does not fit 64 bits");
                    var bytes = Take(data, ref position, n);
                    long value = 0;
                    for (int i = n - 1; i >= 0; i--) value = (value << 8) | bytes[i];
                    if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0) value -= 1L << (8 * n);
                    stack.Add(value);
                    break;
                case Op.BinFloat: stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(data, ref position, 8))); break;
                case Op.BinUnicode: stack.Add(Utf8(Take(data, ref position, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4))), at)); break;
                case Op.ShortBinUnicode: stack.Add(Utf8(Take(data, ref position, Take(data, ref position, 1)[0]), at)); break;
                case Op.BinUnicode8: stack.Add(Utf8(Take(data, ref position, (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(data, ref position, 8))), at)); break;
                case Op.BinBytes: stack.Add(Take(data, ref position, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4))).ToArray()); break;
                case Op.ShortBinBytes: stack.Add(Take(data, ref position, Take(data, ref position, 1)[0]).ToArray()); break;
                case Op.BinBytes8: stack.Add(Take(data, ref position, (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(data, ref position, 8))).ToArray()); break;
                case Op.EmptyTuple: stack.Add(PyTuple.Empty); break;
                case Op.Tuple1: stack.Add(PyTuple.Of(Pop())); break;
                case Op.Tuple2: { var b = Pop(); var a = Pop(); stack.Add(PyTuple.Of(a, b)); break; }
                case Op.Tuple3: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(PyTuple.Of(a, b, c)); break; }
                case Op.Tuple: stack.Add(new PyTuple(PopToMark())); break;
                case Op.EmptyList: stack.Add(new List<object?>()); break;
                case Op.EmptyDict: stack.Add(new PyDict()); break;
                case Op.EmptySet: stack.Add(new PyObject(new PyGlobal("builtins", "set"), PyTuple.Empty)); break;
                case Op.FrozenSet: { var items = PopToMark(); var set = new PyObject(new PyGlobal("builtins", "frozenset"), PyTuple.Empty); set.Items.AddRange(items); stack.Add(set); break; }
                case Op.Append: { var item = Pop(); Append(Top(), [item]); break; }
                case Op.Appends or Op.AddItems: { var items = PopToMark(); Append(Top(), items); break; }
                case Op.SetItem: { var v = Pop(); var k = Pop(); SetItems(Top(), [k, v]); break; }
                case Op.SetItems: { var items = PopToMark(); SetItems(Top(), items); break; }
                case Op.BinPut: memo[Take(data, ref position, 1)[0]] = Top(); break;
                case Op.LongBinPut: memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4))] = Top(); break;
                case Op.Memoize: memo[memo.Count] = Top(); break;
                case Op.BinGet: stack.Add(Memo(memo, Take(data, ref position, 1)[0], source, at)); break;
                case Op.LongBinGet: stack.Add(Memo(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4)), source, at)); break;
                case Op.Global:
                    string module = Line(data, ref position, source), name = Line(data, ref position, source);
                    PushGlobal(module, name, at);
                    break;
                case Op.StackGlobal:
                    {
                        if (Pop() is not string globalName || Pop() is not string globalModule) throw Fail("STACK_GLOBAL needs two strings");
                        PushGlobal(globalModule, globalName, at);
                        break;
                    }
                case Op.Reduce or Op.NewObj:
                    {
                        if (Pop() is not PyTuple arguments) throw Fail($"{Op.Name(op)} needs an argument tuple");
                        stack.Add(new PyObject(Pop(), arguments));
                        break;
                    }
                case Op.Build:
                    {
                        var state = Pop();
                        if (Top() is not PyObject target) throw Fail($"BUILD on a {Describe(Top())}");
                        target.State = state;
                        break;
                    }
                case Op.BinPersId: stack.Add(new PyPersistentId(Pop())); break;
                default: throw new PickleFormatException(source, at, $"opcode {Op.Name(op)} (0x{op:x2}) is not supported");
            }
        }
    }

    private static object? Memo(Dictionary<long, object?> memo, long key, string source, int at) =>
        memo.TryGetValue(key, out var value) ? value : throw new PickleFormatException(source, at, $"memo {key} was never stored");

    private static string Utf8(ReadOnlySpan<byte> bytes, int at)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new PickleFormatException("pickle", at, $"string is not UTF-8: {e.Message}");
        }
    }

    private static string Line(ReadOnlySpan<byte> data, ref int position, string source)
    {
        int end = data[position..].IndexOf((byte)'\n');
        if (end < 0 || end > 256) throw new PickleFormatException(source, position, "GLOBAL name is not a short line");
        string line = Encoding.ASCII.GetString(data.Slice(position, end));
        position += end + 1;
        return line;
    }

    /// <summary>A short description of a value read from a pickle, for errors.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        PyObject o => $"object built by {o.Callable}",
        _ => value.GetType().Name,
    };
}

/// <summary>Pickle opcodes (CPython's <c>pickle.py</c> names).</summary>
internal static class Op
{
    public const byte Mark = (byte)'(', Stop = (byte)'.', Pop = (byte)'0', PopMark = (byte)'1', Dup = (byte)'2', BinInt = (byte)'J',
        BinInt1 = (byte)'K', BinInt2 = (byte)'M', None = (byte)'N', BinPersId = (byte)'Q', Reduce = (byte)'R', BinUnicode = (byte)'X',
        Append = (byte)'a', Build = (byte)'b', Global = (byte)'c', EmptyDict = (byte)'}', Appends = (byte)'e', BinGet = (byte)'h',
        LongBinGet = (byte)'j', EmptyList = (byte)']', BinPut = (byte)'q', LongBinPut = (byte)'r', SetItem = (byte)'s', Tuple = (byte)'t',
        EmptyTuple = (byte)')', SetItems = (byte)'u', BinFloat = (byte)'G', Proto = 0x80, NewObj = 0x81, Tuple1 = 0x85, Tuple2 = 0x86,
        Tuple3 = 0x87, NewTrue = 0x88, NewFalse = 0x89, Long1 = 0x8a, BinBytes = (byte)'B', ShortBinBytes = (byte)'C',
        ShortBinUnicode = 0x8c, BinUnicode8 = 0x8d, BinBytes8 = 0x8e, EmptySet = 0x8f, AddItems = 0x90, FrozenSet = 0x91,
        StackGlobal = 0x93, Memoize = 0x94, Frame = 0x95;

    private static readonly Dictionary<byte, string> Names = new()
    {
        [Mark] = "MARK", [Stop] = "STOP", [Pop] = "POP", [PopMark] = "POP_MARK", [Dup] = "DUP", [BinInt] = "BININT", [BinInt1] = "BININT1",
        [BinInt2] = "BININT2", [None] = "NONE", [BinPersId] = "BINPERSID", [Reduce] = "REDUCE", [BinUnicode] = "BINUNICODE",
        [Append] = "APPEND", [Build] = "BUILD", [Global] = "GLOBAL", [EmptyDict] = "EMPTY_DICT", [Appends] = "APPENDS", [BinGet] = "BINGET",
        [LongBinGet] = "LONG_BINGET", [EmptyList] = "EMPTY_LIST", [BinPut] = "BINPUT", [LongBinPut] = "LONG_BINPUT", [SetItem] = "SETITEM",
        [Tuple] = "TUPLE", [EmptyTuple] = "EMPTY_TUPLE", [SetItems] = "SETITEMS", [BinFloat] = "BINFLOAT", [Proto] = "PROTO",
        [NewObj] = "NEWOBJ", [Tuple1] = "TUPLE1", [Tuple2] = "TUPLE2", [Tuple3] = "TUPLE3", [NewTrue] = "NEWTRUE", [NewFalse] = "NEWFALSE",
        [Long1] = "LONG1", [BinBytes] = "BINBYTES", [ShortBinBytes] = "SHORT_BINBYTES", [ShortBinUnicode] = "SHORT_BINUNICODE",
        [BinUnicode8] = "BINUNICODE8", [BinBytes8] = "BINBYTES8", [EmptySet] = "EMPTY_SET", [AddItems] = "ADDITEMS", [FrozenSet] = "FROZENSET",
        [StackGlobal] = "STACK_GLOBAL", [Memoize] = "MEMOIZE", [Frame] = "FRAME", [(byte)'i'] = "INST", [(byte)'o'] = "OBJ",
        [0x82] = "EXT1", [0x83] = "EXT2", [0x84] = "EXT4", [0x92] = "NEWOBJ_EX", [0x8b] = "LONG4", [(byte)'S'] = "STRING",
        [(byte)'V'] = "UNICODE", [(byte)'I'] = "INT", [(byte)'L'] = "LONG", [(byte)'F'] = "FLOAT", [(byte)'P'] = "PERSID",
        [(byte)'g'] = "GET", [(byte)'p'] = "PUT", [(byte)'d'] = "DICT", [(byte)'l'] = "LIST", [(byte)'T'] = "BINSTRING",
        [(byte)'U'] = "SHORT_BINSTRING", [0x96] = "BYTEARRAY8", [0x97] = "NEXT_BUFFER", [0x98] = "READONLY_BUFFER",
    };

    public static string Name(byte op) => Names.TryGetValue(op, out var name) ? name : "unknown";
}
