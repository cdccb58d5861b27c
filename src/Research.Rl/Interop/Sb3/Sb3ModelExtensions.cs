using Research.Abstractions.Options;
using Research.Rl.Algorithms;

namespace Research.Rl.Interop.Sb3;

/// <summary>Saving any PPO, A2C or DQN model as a Stable-Baselines3 model file.</summary>
public static class Sb3ModelExtensions
{
    /// <summary>Writes the model as Stable-Baselines3 v2.x's <c>model.save</c> would (see <see cref="Sb3Export"/>); returns notes on what SB3 cannot hold.</summary>
    public static IReadOnlyList<string> SaveSb3<TOptions>(this AlgorithmBase<TOptions> model, string path) where TOptions : AlgorithmOptions
    {
        string temp = Path.Combine(Path.GetTempPath(), $"research-sb3-{Environment.ProcessId}-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(temp);
            return Sb3Export.Convert(temp, path);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
