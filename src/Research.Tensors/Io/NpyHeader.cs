using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Research.Tensors.Io;

/// <summary>
/// The header dict of a .npy file, <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>,
/// parsed from and formatted to NumPy's exact layout.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>NumPy aligns the magic, version, length and header to this many bytes.</summary>
    private const int Alignment = 64;

    /// <summary>NumPy leaves room to grow the first axis in place: padding to this many digits.</summary>
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>Formats the header as NumPy 1.24's <c>_write_array_header</c> does, so our files match NumPy's byte for byte.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("{'descr': '").Append(Descr).Append("', 'fortran_order': ").Append(FortranOrder ? "True" : "False")
            .Append(", 'shape': ").Append(NpyArray.FormatShape(Shape)).Append(", }");
        if (Shape.Length > 0)
        {
            int growthAxis = FortranOrder ? Shape[^1] : Shape[0];
            text.Append(' ', Math.Max(0, GrowthAxisMaxDigits - growthAxis.ToString(CultureInfo.InvariantCulture).Length));
        }
        return text.ToString();
    }

    /// <summary>The full prefix (magic, version, length, header, padding, newline) for <paramref name="version"/> 1, 2 or 3.</summary>
    public byte[] Encode(int version)
    {
        var encoding = version == 3 ? Encoding.UTF8 : Encoding.Latin1;
        byte[] header = encoding.GetBytes(Format());
        int lengthSize = version == 1 ? 2 : 4;
        int headerLength = PaddedLength(header.Length, lengthSize);
        if (version == 1 && headerLength > ushort.MaxValue)
            throw new ArgumentException($"header of {headerLength} bytes does not fit format version 1.0.");

        var prefix = new byte[NpyMagic.Length + 2 + lengthSize + headerLength];
        NpyMagic.Bytes.CopyTo(prefix);
        prefix[6] = (byte)version;
        prefix[7] = 0;
        if (version == 1) BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(8), (uint)headerLength);
        header.CopyTo(prefix, 8 + lengthSize);
        prefix.AsSpan(8 + lengthSize + header.Length).Fill((byte)' ');
        prefix[^1] = (byte)'\n';
        return prefix;
    }

    /// <summary>The lowest version that can hold this header, as NumPy picks it.</summary>
    public int MinimumVersion()
    {
        string text = Format();
        if (text.Any(c => c > 0xFF)) return 3;
        return PaddedLength(text.Length, 2) <= ushort.MaxValue ? 1 : 2;
    }

    /// <summary>Header bytes plus NumPy's padding (always at least one space) and the newline.</summary>
    private static int PaddedLength(int headerBytes, int lengthSize)
    {
        int unpadded = NpyMagic.Length + 2 + lengthSize + headerBytes + 1;
        return headerBytes + Alignment - unpadded % Alignment + 1;
    }

    /// <summary>Parses the header text; throws <see cref="FormatException"/> with the reason.</summary>
    public static NpyHeader Parse(string text)
    {
        var parser = new LiteralParser(text);
        if (parser.ParseValue() is not Dictionary<string, object> dict)
            throw new FormatException($"header is not a dict: {Quote(text)}");
        parser.ExpectEnd();

        foreach (string key in dict.Keys)
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw new FormatException($"header has unexpected key '{key}'");
        object descr = dict.GetValueOrDefault("descr") ?? throw new FormatException("header has no 'descr'");
        object fortran = dict.GetValueOrDefault("fortran_order") ?? throw new FormatException("header has no 'fortran_order'");
        object shape = dict.GetValueOrDefault("shape") ?? throw new FormatException("header has no 'shape'");
        if (descr is not string descrText)
            throw new FormatException($"unsupported dtype {Quote(text)}: structured dtypes are not supported");
        if (fortran is not bool fortranOrder)
            throw new FormatException("header 'fortran_order' is not True or False");
        if (shape is not List<object> dims || dims.Any(d => d is not long))
            throw new FormatException("header 'shape' is not a tuple of integers");
        var shapeArray = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            long d = (long)dims[i];
            if (d < 0 || d > int.MaxValue) throw new FormatException($"header 'shape' dimension {d} is out of range");
            shapeArray[i] = (int)d;
        }
        return new NpyHeader(descrText, fortranOrder, shapeArray);
    }

    private static string Quote(string text) => text.Length <= 120 ? text.Trim() : text[..120] + "…";

    /// <summary>A parser for the Python literals a header uses: dicts, tuples, lists, strings, integers, True/False.</summary>
    private sealed class LiteralParser(string text)
    {
        private int _pos;

        public object ParseValue()
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error("unexpected end");
            char c = text[_pos];
            switch (c)
            {
                case '{': return ParseDict();
                case '(': return ParseSequence(')');
                case '[': return ParseSequence(']');
                case '\'' or '"': return ParseString();
            }
            if (c == '-' || char.IsAsciiDigit(c)) return ParseInteger();
            if (TryWord("True")) return true;
            if (TryWord("False")) return false;
            throw Error($"unexpected character '{c}'");
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != text.Length) throw Error("trailing characters");
        }

        private Dictionary<string, object> ParseDict()
        {
            _pos++;
            var dict = new Dictionary<string, object>();
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; return dict; }
                if (ParseValue() is not string key) throw Error("dict key is not a string");
                SkipSpace();
                if (Peek() != ':') throw Error("expected ':'");
                _pos++;
                if (!dict.TryAdd(key, ParseValue())) throw Error($"duplicate key '{key}'");
                if (!SeparatorOrEnd('}')) return dict;
            }
        }

        private List<object> ParseSequence(char close)
        {
            _pos++;
            var items = new List<object>();
            while (true)
            {
                SkipSpace();
                if (Peek() == close) { _pos++; return items; }
                items.Add(ParseValue());
                if (!SeparatorOrEnd(close)) return items;
            }
        }

        /// <summary>After an item: consumes ',' (true, more may follow) or the closing bracket (false).</summary>
        private bool SeparatorOrEnd(char close)
        {
            SkipSpace();
            char c = Peek();
            _pos++;
            if (c == ',') return true;
            if (c == close) return false;
            throw Error($"expected ',' or '{close}'");
        }

        private string ParseString()
        {
            char quote = text[_pos++];
            int end = text.IndexOf(quote, _pos);
            if (end < 0) throw Error("unterminated string");
            string value = text[_pos..end];
            if (value.Contains('\\')) throw Error("escaped strings are not supported");
            _pos = end + 1;
            return value;
        }

        private long ParseInteger()
        {
            int start = _pos;
            if (text[_pos] == '-') _pos++;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            if (!long.TryParse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Error("bad integer");
            if (_pos < text.Length && text[_pos] == 'L') _pos++; // Python 2 long suffix
            return value;
        }

        private bool TryWord(string word)
        {
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Error(string what) => new($"bad header at character {_pos} ({what}): {Quote(text)}");
    }
}

/// <summary>The six bytes every .npy file starts with.</summary>
internal static class NpyMagic
{
    public const int Length = 6;

    public static ReadOnlySpan<byte> Bytes => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
}
