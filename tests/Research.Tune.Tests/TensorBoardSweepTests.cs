using Research.TensorBoard;
using Research.Tune.TrialWorker;

namespace Research.Tune.Tests;

/// <summary>A sweep logged to TensorBoard: each trial's results in its own run, and the HParams records that list the trials.</summary>
public sealed class TensorBoardSweepTests
{
    [Fact]
    public async Task TheSweepWritesTheExperimentAndEveryTrialSessionAndTrialsLogTheirResults()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2]}, learning_rate: {grid_search: [lin_0.001, 0.0003]}}
            stop: {training_iteration: 3}
            metric: episode_reward_mean
            """);
        var options = new TrialProcessOptions { SinkFactory = trialDir => [new TensorBoardSink(trialDir)] };
        var runner = new SweepRunner(new FakeTrialFactory(), new InProcessExecutor(new FakeTrialFactory(), options),
            Worker.Fast with { Observer = new TensorBoardSweepObserver(spec.ExperimentDirectory) });

        await runner.RunAsync(spec);

        var root = EventFileReader.EventFiles(spec.ExperimentDirectory).SelectMany(f => EventFileReader.ReadFile(f)).ToList();
        var experiment = Assert.Single(root, e => e.Summary?.Value.Any(v => v.Tag == HParams.ExperimentTag) == true);
        Assert.NotNull(experiment);

        var trialDirs = Directory.GetDirectories(spec.ExperimentDirectory).Where(d => File.Exists(Path.Combine(d, "params.json"))).ToList();
        Assert.Equal(4, trialDirs.Count);
        foreach (var trialDir in trialDirs)
        {
            var events = EventFileReader.Read(trialDir).ToList();
            var tags = events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value).Select(v => v.Tag).ToList();
            Assert.Equal(1, tags.Count(t => t == HParams.SessionStartTag));
            Assert.Equal(1, tags.Count(t => t == HParams.SessionEndTag));
            var rewards = events.Where(e => e.Summary?.Value.Any(v => v.Tag == "ray/tune/episode_reward_mean") == true).ToList();
            Assert.Equal(3, rewards.Count);
        }
    }
}
