using Research.Abstractions.Spaces;
using Research.Plugins.OnPolicy;
using Research.Rl.Evaluation;
using Research.Rl.Imitation;
using Research.Rl.Imitation.Pretraining;
using Research.Tensors.Io;

namespace Research.Plugins.Imitation.Tests;

public class PretrainTests
{
    private static PpoOptions PpoCartPole(int seed) => new() { Seed = seed, NSteps = 256, BatchSize = 64, NEpochs = 4 };

    private static double DeterministicReturn(PolicyFunction policy) =>
        PolicyEvaluation.EvaluatePolicy(policy, ExpertData.CartPoleEnv(), 10, deterministic: true, seed: 1000).MeanReward;

    private static ExpertDataset CartPoleDataset(int batchSize = 64) =>
        ExpertDataset.Load(ExpertData.CartPole, new ExpertDatasetOptions { BatchSize = batchSize, Verbose = 0, Seed = 0 });

    [Fact]
    public void Pretrain_moves_ppo_from_random_to_the_expert_and_learn_continues_from_the_cloned_weights()
    {
        using var env = ExpertData.CartPoleVec();
        using var ppo = new Ppo(env, PpoCartPole(0));
        double before = DeterministicReturn(ppo.Predict);
        using var dataset = CartPoleDataset();

        var epochs = ppo.Pretrain(dataset, nEpochs: 10, learningRate: 1e-3);

        double after = DeterministicReturn(ppo.Predict);
        Assert.True(before < 100, $"untrained deterministic return {before} should be near random");
        Assert.True(after >= 400, $"pretrained deterministic return {after} < 400");
        Assert.Equal(10, epochs.Count);
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss / 2, $"train loss {epochs[0].TrainLoss} → {epochs[^1].TrainLoss}");
        Assert.All(epochs, e => Assert.False(double.IsNaN(e.ValidationLoss)));

        // A PPO that never pretrained but starts from the same weights learns identically: Learn starts from the clone,
        // and Pretrain left the RL optimizer (fresh Adam state) and the algorithm's generator alone.
        var cloned = ppo.Policy.GetWeights();
        using var env2 = ExpertData.CartPoleVec();
        using var twin = new Ppo(env2, PpoCartPole(0));
        twin.Policy.SetWeights(cloned);
        ppo.Learn(512);
        twin.Learn(512);
        var learned = ppo.Policy.GetWeights();
        foreach (var (name, values) in twin.Policy.GetWeights()) Assert.Equal(values, learned[name]);
        Assert.NotEqual(cloned["action_net.weight"], learned["action_net.weight"]);
    }

    [Fact]
    public void Pretrain_logs_losses_to_the_metrics_sinks()
    {
        using var env = ExpertData.CartPoleVec();
        using var ppo = new Ppo(env, PpoCartPole(1));
        var sink = new RecordingSink();
        ppo.MetricsSinks.Add(sink);
        using var dataset = CartPoleDataset();
        var epochs = ppo.Pretrain(dataset, nEpochs: 4, valInterval: 2);
        Assert.Equal([1, 2, 3, 4], sink.Steps("pretrain/train_loss"));
        Assert.Equal([2, 4], sink.Steps("pretrain/val_loss"));
        Assert.True(double.IsNaN(epochs[0].ValidationLoss));
        Assert.Equal(epochs[1].ValidationLoss, sink.Value("pretrain/val_loss", 2), 6);
    }

    [Fact]
    public void Pretrain_of_a_box_policy_uses_mean_squared_error_and_reduces_it()
    {
        using var env = ExpertData.PendulumVec();
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0 });
        using var dataset = ExpertDataset.Load(ExpertData.Pendulum, new ExpertDatasetOptions { Verbose = 0 });
        var mse = ppo.Pretrain(dataset, nEpochs: 3, learningRate: 1e-3);
        Assert.True(mse[^1].TrainLoss < mse[0].TrainLoss, $"MSE {mse[0].TrainLoss} → {mse[^1].TrainLoss}");
        var nll = ppo.Pretrain(dataset, nEpochs: 2, learningRate: 1e-3, loss: CloningLoss.NegativeLogLikelihood);
        Assert.All(nll, e => Assert.True(double.IsFinite(e.TrainLoss)));
    }

    [Fact]
    public void Negative_log_likelihood_pretraining_works_on_a_gsde_policy_and_reduces_the_loss()
    {
        using var env = ExpertData.PendulumVec();
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0, UseSde = true });
        using var dataset = ExpertDataset.Load(ExpertData.Pendulum, new ExpertDatasetOptions { Verbose = 0 });
        var before = ppo.Policy.GetWeights()["log_std"];
        var nll = ppo.Pretrain(dataset, nEpochs: 5, learningRate: 1e-3, loss: CloningLoss.NegativeLogLikelihood);
        // With the latent path detached (PPO's gSDE gradient) this loss rose every epoch; with it, it falls by several nats.
        Assert.True(nll[^1].TrainLoss < nll[0].TrainLoss - 1, $"NLL per epoch: {string.Join(", ", nll.Select(e => e.TrainLoss))}");
        // The likelihood is gSDE's, so its state-dependent log_std [latent, actions] is trained too.
        Assert.Equal(before.Length, ppo.Policy.GetWeights()["log_std"].Length);
        Assert.NotEqual(before, ppo.Policy.GetWeights()["log_std"]);
    }

    [Fact]
    public void A2c_pretrains_too()
    {
        using var env = ExpertData.CartPoleVec();
        using var a2c = new A2c(env, new A2cOptions { Seed = 0 });
        using var dataset = CartPoleDataset();
        a2c.Pretrain(dataset, nEpochs: 10, learningRate: 1e-3);
        Assert.True(DeterministicReturn(a2c.Predict) >= 400);
    }

    [Fact]
    public void A_box_dataset_for_a_discrete_policy_is_refused_naming_the_file_and_key()
    {
        using var env = ExpertData.CartPoleVec();
        using var ppo = new Ppo(env, PpoCartPole(0));
        string path = ExpertData.TempPath("box-actions.npz");
        var data = new ExpertTrajectories("box actions", new float[8], [4], [0.25f, -0.5f], [1], [true, false], [2.0],
            actionDType: NpyDType.Float32);
        ExpertDataFile.Write(path, data);
        using var dataset = ExpertDataset.Load(path, new ExpertDatasetOptions { Verbose = 0, TrainFraction = 0.5 });
        var e = Assert.Throws<ExpertDataException>(() => ppo.Pretrain(dataset));
        Assert.Contains(path, e.Message);
        Assert.Contains("actions[0]", e.Message);
        Assert.Contains("Discrete(2)", e.Message);
    }

    [Fact]
    public void Actions_outside_the_space_and_mismatched_observations_are_refused()
    {
        using var env = ExpertData.CartPoleVec();
        using var ppo = new Ppo(env, PpoCartPole(0));
        var outOfRange = new ExpertTrajectories("three actions", new float[8], [4], [0, 2], [1], [true, false], [2.0], actionDType: NpyDType.Int64);
        using (var dataset = new ExpertDataset(outOfRange, new ExpertDatasetOptions { Verbose = 0, TrainFraction = 0.5 }))
        {
            var e = Assert.Throws<ExpertDataException>(() => ppo.Pretrain(dataset));
            Assert.Contains("three actions: actions[1] = 2", e.Message);
        }
        using var pendulum = ExpertDataset.Load(ExpertData.Pendulum, new ExpertDatasetOptions { Verbose = 0 });
        var obs = Assert.Throws<ExpertDataException>(() => ppo.Pretrain(pendulum));
        Assert.Contains("key 'obs' has 3 values per step", obs.Message);
    }

    [Fact]
    public void Mean_squared_error_on_discrete_actions_and_bad_arguments_are_refused()
    {
        using var env = ExpertData.CartPoleVec();
        using var ppo = new Ppo(env, PpoCartPole(0));
        using var dataset = CartPoleDataset();
        var mse = Assert.Throws<ArgumentException>(() => ppo.Pretrain(dataset, loss: CloningLoss.MeanSquaredError));
        Assert.Contains("needs a Box action space", mse.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ppo.Pretrain(dataset, nEpochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ppo.Pretrain(dataset, learningRate: 0));
        Assert.IsType<Discrete>(ppo.ActionSpace);
    }
}
