using System.Collections;
using System.Globalization;
using System.Text;

namespace Research.Rl.Policies;

/// <summary>Reads the zoo's <c>policy_kwargs: "dict(net_arch=[64, 64], activation_fn=nn.Tanh)"</c> strings into config maps that bind onto <see cref="PolicyOptions"/>.</summary>
public static class PolicyKwargs
{
    /// <summary>Parses a Python <c>dict(k=v, …)</c> expression (numbers, booleans, <c>nn.X</c>, strings, lists and nested <c>dict(…)</c>/<c>{…}</c>).</summary>
    public static Dictionary<string, object?> Parse(string text)
    {
        var parser = new Parser(text);
        var value = parser.ParseValue();
        parser.ExpectEnd();
        return Normalize(value as Dictionary<string, object?>
            ?? throw new FormatException($"policy_kwargs '{text}' is not a dict(...) expression."));
    }

    /// <summary>Expands a list <c>net_arch</c> into <c>{pi, vf, qf}</c> of the same sizes and strips <c>nn.</c> from activation names.</summary>
    public static Dictionary<string, object?> Normalize(IReadOnlyDictionary<string, object?> kwargs)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in kwargs)
        {
            if (key is "net_arch" or "NetArch" && value is IList list)
                result[key] = new Dictionary<string, object?> { ["pi"] = list, ["vf"] = list, ["qf"] = list };
            else if (key is "net_arch" or "NetArch" && value is string text && text.TrimStart().StartsWith('['))
                result[key] = new Dictionary<string, object?> { ["pi"] = text, ["vf"] = text, ["qf"] = text };
            else if (key is "activation_fn" or "ActivationFn" && value is string name)
                result[key] = name.StartsWith("nn.", StringComparison.Ordinal) ? name[3..] : name;
            else
                result[key] = value;
        }
        return result;
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public object? ParseValue()
        {
            SkipSpace();
            if (Peek() == '[') return ParseList();
            if (Peek() == '{') return ParseBraceDict();
            if (Peek() is '"' or '\'') return ParseString();
            string word = ParseWord();
            if (word == "dict" && Peek() == '(') return ParseCallDict();
            return word switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                _ => word,
            };
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != text.Length) throw Error("unexpected text");
        }

        private Dictionary<string, object?> ParseCallDict()
        {
            Expect('(');
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') break;
                string key = ParseWord();
                Expect('=');
                map[key] = ParseValue();
                if (!Comma(')')) break;
            }
            Expect(')');
            return map;
        }

        private Dictionary<string, object?> ParseBraceDict()
        {
            Expect('{');
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') break;
                string key = ParseValue() as string ?? throw Error("a dict key must be a string");
                Expect(':');
                map[key] = ParseValue();
                if (!Comma('}')) break;
            }
            Expect('}');
            return map;
        }

        private List<object?> ParseList()
        {
            Expect('[');
            var list = new List<object?>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ']') break;
                list.Add(ParseValue());
                if (!Comma(']')) break;
            }
            Expect(']');
            return list;
        }

        private string ParseString()
        {
            char quote = text[_pos++];
            int end = text.IndexOf(quote, _pos);
            if (end < 0) throw Error("unterminated string");
            string s = text[_pos..end];
            _pos = end + 1;
            return s;
        }

        private string ParseWord()
        {
            SkipSpace();
            var sb = new StringBuilder();
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.' or '-' or '+'))
                sb.Append(text[_pos++]);
            if (sb.Length == 0) throw Error("expected a name or a number");
            return sb.ToString();
        }

        private bool Comma(char close)
        {
            SkipSpace();
            if (Peek() == ',')
            {
                _pos++;
                return true;
            }
            if (Peek() == close) return false;
            throw Error($"expected ',' or '{close}'");
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Error(string reason) =>
            new($"policy_kwargs '{text}': {reason} at character {_pos + 1}.");
    }
}
