using System.Globalization;
using System.Text;

namespace Research.Rl.Wrappers.Monitoring;

/// <summary>Formats numbers and strings as Python's <c>repr(float)</c> and <c>json.dumps</c> do, so files match Stable-Baselines' byte for byte.</summary>
internal static class PythonText
{
    /// <summary>Python's <c>repr</c> of a float: shortest round-trip digits, always a decimal point or an exponent.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string sign = double.IsNegative(value) ? "-" : "";
        int e = shortest.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? shortest : shortest[..e];
        int exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        // value = 0.digits × 10^decimalPoint
        int decimalPoint = (point < 0 ? mantissa.Length : point) + exponent;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        decimalPoint -= leadingZeros;
        if (digits.Length == 0) return sign + "0.0";
        if (decimalPoint > -4 && decimalPoint <= 16)
        {
            if (decimalPoint <= 0) return sign + "0." + new string('0', -decimalPoint) + digits;
            if (decimalPoint >= digits.Length) return sign + digits + new string('0', decimalPoint - digits.Length) + ".0";
            return sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
        }
        string fraction = digits.Length > 1 ? "." + digits[1..] : "";
        int printed = decimalPoint - 1;
        return sign + digits[0] + fraction + "e" + (printed < 0 ? "-" : "+") + Math.Abs(printed).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON string literal as <c>json.dumps</c> writes it (ASCII only, non-ASCII as <c>\uXXXX</c>).</summary>
    public static string JsonString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
