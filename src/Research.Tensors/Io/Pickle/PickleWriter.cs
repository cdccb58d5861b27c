using System.Buffers.Binary;
using System.Text;

namespace Research.Tensors.Io.Pickle;

/// <summary>
/// Writes plain values as a protocol-2 pickle (what <c>torch.save</c> and Python 3 read): null, bool, integers, doubles, strings,
/// <see cref="PyTuple"/>, lists, <see cref="PyDict"/>, <see cref="PyGlobal"/> references, calls as <see cref="PyObject"/> (REDUCE,
/// then its items, entries and state) and <see cref="PyPersistentId"/>. Writing a call runs nothing here; Python runs it on load.
/// </summary>
public sealed class PickleWriter
{
    private readonly MemoryStream _buffer = new();

    /// <summary>The pickle of <paramref name="value"/>.</summary>
    public static byte[] Serialize(object? value)
    {
        var writer = new PickleWriter();
        writer._buffer.WriteByte(Op.Proto);
        writer._buffer.WriteByte(2);
        writer.Write(value);
        writer._buffer.WriteByte(Op.Stop);
        return writer._buffer.ToArray();
    }

    private void Write(object? value)
    {
        switch (value)
        {
            case null: Byte(Op.None); break;
            case bool b: Byte(b ? Op.NewTrue : Op.NewFalse); break;
            case int i: Integer(i); break;
            case long l: Integer(l); break;
            case float f: Float(f); break;
            case double d: Float(d); break;
            case string s: String(s); break;
            case PyTuple t: Tuple(t); break;
            case PyDict d:
                Byte(Op.EmptyDict);
                Entries(d);
                break;
            case List<object?> list:
                Byte(Op.EmptyList);
                Items(list);
                break;
            case PyGlobal g:
                Byte(Op.Global);
                Bytes(Encoding.ASCII.GetBytes($"{g.Module}\n{g.Name}\n"));
                break;
            case PyObject o:
                Write(o.Callable);
                Tuple(o.Arguments);
                Byte(Op.Reduce);
                Items(o.Items);
                Entries(o.Entries);
                if (o.State is not null)
                {
                    Write(o.State);
                    Byte(Op.Build);
                }
                break;
            case PyPersistentId p:
                Write(p.Id);
                Byte(Op.BinPersId);
                break;
            default:
                throw new ArgumentException($"Cannot pickle a {value.GetType().Name}.", nameof(value));
        }
    }

    private void Tuple(PyTuple tuple)
    {
        switch (tuple.Items.Count)
        {
            case 0: Byte(Op.EmptyTuple); return;
            case <= 3:
                foreach (var item in tuple.Items) Write(item);
                Byte(tuple.Items.Count switch { 1 => Op.Tuple1, 2 => Op.Tuple2, _ => Op.Tuple3 });
                return;
            default:
                Byte(Op.Mark);
                foreach (var item in tuple.Items) Write(item);
                Byte(Op.Tuple);
                return;
        }
    }

    private void Items(IReadOnlyList<object?> items)
    {
        if (items.Count == 0) return;
        Byte(Op.Mark);
        foreach (var item in items) Write(item);
        Byte(Op.Appends);
    }

    private void Entries(PyDict dict)
    {
        if (dict.Entries.Count == 0) return;
        Byte(Op.Mark);
        foreach (var (key, value) in dict.Entries)
        {
            Write(key);
            Write(value);
        }
        Byte(Op.SetItems);
    }

    private void Integer(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (value is >= 0 and < 256)
        {
            Byte(Op.BinInt1);
            Byte((byte)value);
        }
        else if (value is >= 0 and < 65536)
        {
            Byte(Op.BinInt2);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
            Bytes(bytes[..2]);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            Byte(Op.BinInt);
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            Bytes(bytes[..4]);
        }
        else
        {
            Byte(Op.Long1);
            Byte(8);
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            Bytes(bytes);
        }
    }

    private void Float(double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        Byte(Op.BinFloat);
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        Bytes(bytes);
    }

    private void String(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        Byte(Op.BinUnicode);
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)utf8.Length);
        Bytes(length);
        Bytes(utf8);
    }

    private void Byte(byte value) => _buffer.WriteByte(value);

    private void Bytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);
}
