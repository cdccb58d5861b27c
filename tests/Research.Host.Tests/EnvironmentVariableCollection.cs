namespace Research.Host.Tests;

/// <summary>Tests that set process environment variables run alone, so no other test sees their values.</summary>
[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;
