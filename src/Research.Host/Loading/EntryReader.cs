using System.Reflection;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Environments;
using Research.Abstractions.Experts;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Host.Catalog;
using Research.Rl.VectorEnvs;

namespace Research.Host.Loading;

/// <summary>Reads the attributed plugin classes of one loaded assembly into catalog entries; a class that breaks the contract becomes a fault.</summary>
internal static class EntryReader
{
    public static void Read(Assembly assembly, string path, List<PluginEntry> entries, List<PluginFault> faults, string? unavailableReason = null)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            faults.Add(new PluginFault(path, $"its types cannot be loaded: {first?.Message ?? e.Message}"));
            return;
        }

        foreach (var type in types.Where(t => t.IsClass))
        {
            try
            {
                if (ReadType(type, path) is { } entry) entries.Add(entry with { UnavailableReason = unavailableReason });
            }
            catch (DeclarationException e)
            {
                faults.Add(new PluginFault(path, e.Message));
            }
        }
    }

    private static PluginEntry? ReadType(Type type, string path)
    {
        if (type.GetCustomAttribute<AlgorithmAttribute>() is { } algorithm)
        {
            string what = $"algorithm '{algorithm.Name}' ({type.FullName})";
            Require<IAlgorithm>(type, what);
            var constructor = type.GetConstructors().FirstOrDefault(c =>
                                  c.GetParameters() is [var env, var options] && env.ParameterType == typeof(IVectorEnv) &&
                                  typeof(AlgorithmOptions).IsAssignableFrom(options.ParameterType))
                              ?? throw new DeclarationException($"{what} has no public constructor (IVectorEnv env, TOptions options) with TOptions deriving from AlgorithmOptions.");
            var optionsType = constructor.GetParameters()[1].ParameterType;
            return new AlgorithmEntry(algorithm.Name, type, constructor, optionsType, Describe(optionsType, what), path, algorithm.Description);
        }
        if (type.GetCustomAttribute<EnvironmentAttribute>() is { } environment)
        {
            string what = $"environment '{environment.Id}' ({type.FullName})";
            Require<IEnv>(type, what);
            var (constructor, optionsType) = OptionalOptionsConstructor(type, what);
            return new EnvironmentEntry(environment.Id, type, constructor, optionsType, Describe(optionsType, what), path,
                environment.Description, environment.MaxEpisodeSteps, environment.RewardThreshold);
        }
        if (type.GetCustomAttribute<ExpertAttribute>() is { } expert)
        {
            string what = $"expert '{expert.Name}' ({type.FullName})";
            Require<IExpert>(type, what);
            var (constructor, optionsType) = OptionalOptionsConstructor(type, what);
            return new ExpertEntry(expert.Name, type, constructor, optionsType, Describe(optionsType, what), path,
                expert.Description, expert.Environment);
        }
        return null;
    }

    private static void Require<TContract>(Type type, string what)
    {
        if (type.IsAbstract || type.ContainsGenericParameters)
            throw new DeclarationException($"{what} is abstract or generic, so it cannot be created.");
        if (!typeof(TContract).IsAssignableFrom(type))
            throw new DeclarationException($"{what} does not implement {typeof(TContract).Name}.");
    }

    // An options constructor wins over a parameterless one, so configuration always reaches the plugin.
    private static (ConstructorInfo Constructor, Type? OptionsType) OptionalOptionsConstructor(Type type, string what)
    {
        var constructors = type.GetConstructors();
        var withOptions = constructors.FirstOrDefault(c => c.GetParameters() is [var p] && IsOptionsRecord(p.ParameterType));
        if (withOptions is not null) return (withOptions, withOptions.GetParameters()[0].ParameterType);
        var parameterless = constructors.FirstOrDefault(c => c.GetParameters().Length == 0)
                            ?? throw new DeclarationException($"{what} needs a public parameterless constructor or one taking its options record.");
        return (parameterless, null);
    }

    private static bool IsOptionsRecord(Type type) =>
        type.IsClass && !type.IsAbstract && type != typeof(string) && type.GetConstructor(Type.EmptyTypes) is not null;

    private static IReadOnlyList<OptionInfo> Describe(Type? optionsType, string what)
    {
        if (optionsType is null) return [];
        try
        {
            return OptionsBinder.Describe(optionsType);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new DeclarationException($"{what}: creating its default options {optionsType.Name} threw {inner.GetType().Name}: {inner.Message}");
        }
    }

    private sealed class DeclarationException(string message) : Exception(message);
}
