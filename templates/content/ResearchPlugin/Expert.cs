using Research.Abstractions.Experts;
using Research.Abstractions.Plugins;

namespace ResearchPlugin;

/// <summary>A scripted controller: always walks right (the corridor's optimal policy).</summary>
[Expert("ResearchPlugin.walk-right", Environment = "ResearchPlugin.Corridor-v0", Description = "Always steps right.")]
public sealed class WalkRightExpert : IExpert
{
    public void Act(ReadOnlySpan<float> observation, Span<float> action) => action[0] = 1;
}
