using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Research.Abstractions.Options;

/// <summary>One bindable property of an options record, as <c>research plugins show</c> lists it.</summary>
public sealed record OptionInfo(string Name, string PropertyName, Type Type, object? Default, string Description, double Min, double Max)
{
    /// <summary>A short name of the type for help text (<c>int</c>, <c>float</c>, <c>schedule</c>, …).</summary>
    public string TypeName => OptionsBinder.FriendlyTypeName(Type);
}

/// <summary>Binds a config map (from YAML, JSON or <c>--config key=value</c>) onto an options record, with errors that name the key.</summary>
/// <remarks>Keys bind in snake_case (as Stable-Baselines and RLlib spell them) or PascalCase; nested records bind from nested maps or dotted keys.</remarks>
public static class OptionsBinder
{
    /// <summary>Binds <paramref name="config"/> onto a new <typeparamref name="T"/>; <paramref name="owner"/> names the plugin in errors.</summary>
    public static T Bind<T>(IReadOnlyDictionary<string, object?> config, string owner) where T : new() =>
        (T)Bind(typeof(T), config, owner);

    /// <summary>Binds <paramref name="config"/> onto a new instance of <paramref name="optionsType"/>.</summary>
    public static object Bind(Type optionsType, IReadOnlyDictionary<string, object?> config, string owner) =>
        BindInto(Activator.CreateInstance(optionsType)
                 ?? throw new OptionsException($"{owner}: cannot create {optionsType.Name}."), config, owner, "");

    /// <summary>Returns a copy of <paramref name="options"/> with <paramref name="config"/> applied over it.</summary>
    public static T With<T>(T options, IReadOnlyDictionary<string, object?> config, string owner) where T : class
    {
        var clone = (T)(options.GetType().GetMethod("<Clone>$")?.Invoke(options, null) ?? options);
        return (T)BindInto(clone, config, owner, "");
    }

    /// <summary>Lists the bindable options of <paramref name="optionsType"/> with their defaults.</summary>
    public static IReadOnlyList<OptionInfo> Describe(Type optionsType)
    {
        var defaults = Activator.CreateInstance(optionsType);
        return Properties(optionsType).Select(p =>
        {
            var attribute = p.GetCustomAttribute<OptionAttribute>();
            return new OptionInfo(SnakeCase(p.Name), p.Name, p.PropertyType, p.GetValue(defaults),
                attribute?.Description ?? "", attribute?.Min ?? double.NaN, attribute?.Max ?? double.NaN);
        }).ToList();
    }

    /// <summary>The options as a snake_case config map (numbers, strings, bools, lists, nested maps) that binds back to equal options.</summary>
    public static Dictionary<string, object?> ToConfig(object options)
    {
        var map = new Dictionary<string, object?>();
        foreach (var p in Properties(options.GetType()))
            map[SnakeCase(p.Name)] = ToPlain(p.GetValue(options));
        return map;
    }

    /// <summary>Every <see cref="Schedule"/> of <paramref name="options"/>, nested records included, with its snake_case (dotted) name.</summary>
    public static IEnumerable<KeyValuePair<string, Schedule>> Schedules(object options, string prefix = "")
    {
        foreach (var p in Properties(options.GetType()))
        {
            var value = p.GetValue(options);
            if (value is Schedule schedule) yield return new(prefix + SnakeCase(p.Name), schedule);
            else if (value is not null && IsNestedRecord(p.PropertyType))
                foreach (var inner in Schedules(value, prefix + SnakeCase(p.Name) + ".")) yield return inner;
        }
    }

    /// <summary>PascalCase to snake_case: <c>NEnvs</c> → <c>n_envs</c>, <c>LearningRate</c> → <c>learning_rate</c>.</summary>
    public static string SnakeCase(string name)
    {
        var chars = new List<char>(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = i > 0 && char.IsUpper(c) &&
                            (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) ||
                             (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary) chars.Add('_');
            chars.Add(char.ToLowerInvariant(c));
        }
        return new string(chars.ToArray());
    }

    /// <summary>
    /// The valid name closest to <paramref name="key"/> by edit distance, or null when none is close: at most one edit for names of
    /// up to four characters (so "SAC" suggests nothing rather than "A2C"), at most a third of the name's length above, or a
    /// candidate that starts with the key ("cartpole" → "CartPole-v1").
    /// </summary>
    public static string? Nearest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        string lower = key.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            int d = EditDistance(lower, candidate.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        int allowed = key.Length <= 4 ? 1 : Math.Max(2, key.Length / 3);
        if (best is not null && bestDistance <= allowed) return best;
        return key.Length >= 3 ? candidates.FirstOrDefault(c => c.StartsWith(key, StringComparison.OrdinalIgnoreCase)) : null;
    }

    internal static string FriendlyTypeName(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return FriendlyTypeName(underlying) + "?";
        if (type == typeof(int) || type == typeof(long)) return "int";
        if (type == typeof(double) || type == typeof(float)) return "float";
        if (type == typeof(bool)) return "bool";
        if (type == typeof(string)) return "string";
        if (type == typeof(Schedule)) return "schedule";
        if (type.IsEnum) return string.Join("|", Enum.GetNames(type).Select(SnakeCase));
        if (ElementType(type) is { } element) return $"list of {FriendlyTypeName(element)}";
        return "map";
    }

    private static object BindInto(object target, IReadOnlyDictionary<string, object?> config, string owner, string prefix)
    {
        var properties = Properties(target.GetType()).ToDictionary(p => KeyOf(p.Name));
        var boundFrom = new Dictionary<string, string>();
        foreach (var group in GroupDotted(config))
        {
            string fullKey = prefix + group.Key;
            if (!properties.TryGetValue(KeyOf(group.Key), out var property))
            {
                var valid = properties.Values.Select(p => SnakeCase(p.Name)).ToList();
                var nearest = Nearest(group.Key, valid);
                throw new OptionsException(
                    $"unknown option '{fullKey}' for {owner}" +
                    (nearest is not null ? $"; did you mean '{prefix}{nearest}'?" : $"; valid options: {string.Join(", ", valid)}"));
            }
            // Two spellings of one option (n_envs and NEnvs) would silently let one win.
            if (boundFrom.TryGetValue(property.Name, out var earlier) && earlier != group.Key)
                throw new OptionsException($"option '{fullKey}' for {owner} is given twice, also as '{prefix}{earlier}'");
            boundFrom[property.Name] = group.Key;

            object? value;
            if (group.Nested is not null)
            {
                if (!IsNestedRecord(property.PropertyType))
                    throw new OptionsException(
                        $"option '{fullKey}' for {owner}: a map of options is not a valid {FriendlyTypeName(property.PropertyType)}");
                var current = property.GetValue(target) ?? Activator.CreateInstance(property.PropertyType)!;
                value = BindInto(Clone(current), group.Nested, owner, fullKey + ".");
            }
            else
            {
                value = Convert(group.Value, property.PropertyType, fullKey, owner);
            }
            CheckRange(property, value, fullKey, owner);
            property.SetValue(target, value);
        }
        return target;
    }

    private sealed record KeyGroup(string Key, object? Value, IReadOnlyDictionary<string, object?>? Nested);

    // Nested keys group by their normalized head, so policy_kwargs.x and PolicyKwargs.y fill one record.
    private static IEnumerable<KeyGroup> GroupDotted(IReadOnlyDictionary<string, object?> config)
    {
        var nested = new Dictionary<string, (string Key, Dictionary<string, object?> Sub)>(StringComparer.Ordinal);
        Dictionary<string, object?> SubFor(string head)
        {
            if (!nested.TryGetValue(KeyOf(head), out var group)) nested[KeyOf(head)] = group = (head, new());
            return group.Sub;
        }

        foreach (var (key, value) in config)
        {
            int dot = key.IndexOf('.');
            if (dot > 0)
            {
                SubFor(key[..dot])[key[(dot + 1)..]] = value;
            }
            else if (AsMap(value) is { } map)
            {
                var sub = SubFor(key);
                foreach (var (k, v) in map) sub[k] = v;
            }
            else
            {
                yield return new KeyGroup(key, value, null);
            }
        }
        foreach (var (key, sub) in nested.Values) yield return new KeyGroup(key, null, sub);
    }

    private static object? Convert(object? raw, Type type, string key, string owner)
    {
        if (raw is JsonElement json) raw = FromJson(json);
        var underlying = Nullable.GetUnderlyingType(type);
        if (raw is null || (raw is string s0 && (s0 == "null" || s0 == "~" || (s0.Length == 0 && type != typeof(string)))))
        {
            if (underlying is not null || !type.IsValueType) return null;
            throw Mismatch(key, owner, raw, type);
        }
        type = underlying ?? type;
        try
        {
            if (type == typeof(string)) return raw is string str ? str : System.Convert.ToString(raw, CultureInfo.InvariantCulture);
            if (type == typeof(bool))
            {
                if (raw is bool b) return b;
                if (raw is string t && bool.TryParse(t, out var parsed)) return parsed;
                if (raw is string t01 && (t01 == "0" || t01 == "1")) return t01 == "1";
                throw Mismatch(key, owner, raw, type);
            }
            if (type == typeof(int) || type == typeof(long))
            {
                double d = ToDouble(raw, key, owner, type);
                if (d != Math.Floor(d) || double.IsInfinity(d)) throw Mismatch(key, owner, raw, type);
                if (type == typeof(int))
                    return d is >= int.MinValue and <= int.MaxValue ? (int)d : throw Mismatch(key, owner, raw, type);
                // 2^63 itself is the first double above long.MaxValue.
                return d >= long.MinValue && d < 9.2233720368547758e18 ? (long)d : throw Mismatch(key, owner, raw, type);
            }
            if (type == typeof(double)) return ToDouble(raw, key, owner, type);
            if (type == typeof(float)) return (float)ToDouble(raw, key, owner, type);
            if (type == typeof(Schedule))
            {
                if (raw is Schedule sched) return sched;
                if (raw is string text) return Schedule.TryParse(text, out var parsed) ? parsed : throw Mismatch(key, owner, raw, type);
                return Schedule.Constant(ToDouble(raw, key, owner, type));
            }
            if (type.IsEnum)
            {
                var text = System.Convert.ToString(raw, CultureInfo.InvariantCulture)!;
                var match = Enum.GetNames(type).FirstOrDefault(n => KeyOf(n) == KeyOf(text));
                return match is not null ? Enum.Parse(type, match) : throw Mismatch(key, owner, raw, type);
            }
            if (ElementType(type) is { } element)
            {
                var items = raw switch
                {
                    string list => ParseList(list),
                    IEnumerable e => e.Cast<object?>().ToList(),
                    _ => [raw],
                };
                var array = Array.CreateInstance(element, items.Count);
                for (int i = 0; i < items.Count; i++) array.SetValue(Convert(items[i], element, $"{key}[{i}]", owner), i);
                return type.IsArray || type.IsInstanceOfType(array) ? array : Activator.CreateInstance(type, array);
            }
            if (IsNestedRecord(type))
            {
                // A record with a public one-list constructor takes a list as shorthand (SB3's net_arch=[128, 128]).
                if (type.GetConstructors().FirstOrDefault(c => c.GetParameters() is [var only] && ElementType(only.ParameterType) is not null) is { } shorthand)
                    return shorthand.Invoke([Convert(raw, shorthand.GetParameters()[0].ParameterType, key, owner)]);
                throw new OptionsException(
                    $"option '{key}' for {owner}: {Describe(raw)} is not a map; give its parts as {key}.<name>=value " +
                    $"({string.Join(", ", Properties(type).Select(p => SnakeCase(p.Name)))}).");
            }
        }
        catch (OptionsException) { throw; }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or System.Reflection.TargetInvocationException)
        {
            throw Mismatch(key, owner, raw, type);
        }
        throw new OptionsException($"option '{key}' for {owner}: a {type.Name} cannot be written in configuration; leave it at its default.");
    }

    private static double ToDouble(object raw, string key, string owner, Type type) => raw switch
    {
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        string => throw Mismatch(key, owner, raw, type),
        bool => throw Mismatch(key, owner, raw, type),
        IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw Mismatch(key, owner, raw, type),
    };

    private static OptionsException Mismatch(string key, string owner, object? raw, Type type) =>
        new($"option '{key}' for {owner}: {Describe(raw)} is not a valid {FriendlyTypeName(type)}" +
            (type == typeof(Schedule) ? " (a number or lin_<number>)" : ""));

    private static string Describe(object? raw) => raw switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"'{s}'",
        IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>().Select(Describe)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => raw.ToString() ?? "?",
    };

    private static void CheckRange(PropertyInfo property, object? value, string key, string owner)
    {
        var attribute = property.GetCustomAttribute<OptionAttribute>();
        if (attribute is null || value is null) return;
        double? number = value switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            Schedule s when s.Kind != ScheduleKind.Custom => s.Initial,
            _ => null,
        };
        if (number is not { } x) return;
        bool below = !double.IsNaN(attribute.Min) && !(x >= attribute.Min);
        bool above = !double.IsNaN(attribute.Max) && !(x <= attribute.Max);
        if (below || above)
        {
            string lo = double.IsNaN(attribute.Min) ? "-inf" : attribute.Min.ToString(CultureInfo.InvariantCulture);
            string hi = double.IsNaN(attribute.Max) ? "inf" : attribute.Max.ToString(CultureInfo.InvariantCulture);
            throw new OptionsException($"option '{key}' for {owner}: {x.ToString(CultureInfo.InvariantCulture)} is out of range [{lo}, {hi}]");
        }
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .OrderBy(p => p.DeclaringType == type ? 1 : 0)
            .ThenBy(p => p.MetadataToken);

    private static bool IsNestedRecord(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Schedule) && ElementType(type) is null &&
        type.GetConstructor(Type.EmptyTypes) is not null;

    /// <summary>A key's spelling that ignores case and separators, so <c>n_envs</c>, <c>NEnvs</c> and <c>n-envs</c> are one key (as the binder matches them).</summary>
    public static string KeyOf(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g &&
            (g == typeof(IReadOnlyList<>) || g == typeof(IList<>) || g == typeof(List<>)))
            return type.GetGenericArguments()[0];
        return null;
    }

    private static List<object?> ParseList(string text)
    {
        text = text.Trim();
        if (text.StartsWith('[') && text.EndsWith(']')) text = text[1..^1];
        return text.Length == 0 ? [] : text.Split(',').Select(t => (object?)t.Trim().Trim('\'', '"')).ToList();
    }

    /// <summary>The value as a string-keyed map (a dictionary from YAML or code, a JSON object from a spec), or null when it is not one.</summary>
    public static IReadOnlyDictionary<string, object?>? AsMap(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> m => m,
        IDictionary d => d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => d[k]),
        JsonElement { ValueKind: JsonValueKind.Object } j => j.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()),
        _ => null,
    };

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => json.GetDouble(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Array => json.EnumerateArray().Select(e => (object?)e).ToList(),
        _ => json,
    };

    private static object? ToPlain(object? value) => value switch
    {
        null or string or bool or int or long or double or float => value,
        Schedule s => s.Text,
        Enum e => SnakeCase(e.ToString()),
        IEnumerable e => e.Cast<object?>().Select(ToPlain).ToList(),
        _ => ToConfig(value),
    };

    private static object Clone(object value) =>
        value.GetType().GetMethod("<Clone>$")?.Invoke(value, null) ?? value;

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
