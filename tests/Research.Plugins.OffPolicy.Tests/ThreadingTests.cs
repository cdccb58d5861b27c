using Research.Tensors;

namespace Research.Plugins.OffPolicy.Tests;

public class ThreadingTests
{
    [Fact]
    public void Seeded_dqn_gives_the_same_weights_with_one_and_two_threads()
    {
        // The zoo's 256×256 Q-network at batch 64: its products and Adam steps are large enough to be split across the
        // worker pool, which must not change a bit.
        Dictionary<string, float[]> Train(int threads)
        {
            using var limit = Parallelism.Limit(threads);
            using var env = ClassicControlVectorEnvs.CartPole(1);
            using var dqn = new Dqn(env, Envs.ZooDqnCartPole(3) with { LearningStarts = 64, TrainFreq = 64, GradientSteps = 16, TotalTimesteps = 50_000 });
            for (int i = 0; i < 4; i++) dqn.Train();
            return dqn.GetPolicy().GetWeights();
        }
        WeightAssert.Same(Train(1), Train(2));
    }
}
