using Research.Abstractions.Environments;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Rl.Wrappers.Atari;
using Research.Rl.Wrappers.Images;

namespace Research.Rl.Tests.Atari;

public sealed class AtariWrapperTests
{
    private static float[] Frame(int frame, int size = 210 * 160 * 3) => Enumerable.Range(0, size).Select(k => FakeAtariEnv.Pixel(frame, k)).ToArray();

    [Fact]
    public void NoopReset_takes_1_to_noop_max_noops_drawn_from_a_seeded_generator()
    {
        var counts = new List<int>();
        foreach (int seed in Enumerable.Range(0, 40))
        {
            var console = new FakeAtariEnv(8, 8);
            using var env = new NoopResetEnv(console, noopMax: 5);
            env.Reset(seed: seed);
            Assert.Equal(-1, console.Log[0]);
            Assert.All(console.Log.Skip(1), a => Assert.Equal(0, a));
            counts.Add(console.Log.Count - 1);
        }
        Assert.All(counts, c => Assert.InRange(c, 1, 5));
        Assert.Equal(5, counts.Distinct().Count());

        var a = new FakeAtariEnv(8, 8);
        var b = new FakeAtariEnv(8, 8);
        new NoopResetEnv(a, 30).Reset(seed: 7);
        new NoopResetEnv(b, 30).Reset(seed: 7);
        Assert.Equal(a.Log, b.Log);

        var fixedCount = new FakeAtariEnv(8, 8);
        using var overridden = new NoopResetEnv(fixedCount) { OverrideNoops = 3 };
        var (obs, _) = overridden.Reset(seed: 0);
        Assert.Equal([-1, 0, 0, 0], fixedCount.Log);
        Assert.Equal(Frame(3, 8 * 8 * 3), obs);
    }

    [Fact]
    public void NoopReset_restarts_when_the_noops_end_the_game_and_refuses_a_console_without_NOOP_first()
    {
        var console = new FakeAtariEnv(8, 8, lives: 1, framesPerLife: 2);
        using var env = new NoopResetEnv(console) { OverrideNoops = 3 };
        env.Reset(seed: 0);
        Assert.Equal([-1, 0, 0, -1, 0], console.Log);

        var error = Assert.Throws<ArgumentException>(() => new NoopResetEnv(new FakeAtariEnv(8, 8, ["FIRE", "NOOP", "UP"])));
        Assert.Equal("NoopResetEnv: action 0 must be NOOP, but the action meanings are [FIRE, NOOP, UP].", error.Message);
        var notAtari = Assert.Throws<ArgumentException>(() => new NoopResetEnv(new Images.PixelEnv([8, 8, 3])));
        Assert.StartsWith("NoopResetEnv: needs an Atari environment under it (IAtariEnv", notAtari.Message);
    }

    [Fact]
    public void MaxAndSkip_repeats_the_action_sums_rewards_and_maxes_the_last_two_frames()
    {
        var console = new FakeAtariEnv(4, 4);
        using var env = new MaxAndSkipEnv(console, skip: 4);
        env.Reset(seed: 0);
        var (obs, reward, terminated, _, _) = env.Step(2);
        Assert.Equal([-1, 2, 2, 2, 2], console.Log);
        Assert.Equal(Enumerable.Range(1, 4).Sum(FakeAtariEnv.RewardAt), reward);
        Assert.False(terminated);
        var expected = Frame(3, 48).Zip(Frame(4, 48), MathF.Max).ToArray();
        Assert.Equal(expected, obs);
        Assert.Contains(expected.Zip(Frame(4, 48)), p => p.First != p.Second); // the maximum is not just the last frame
    }

    [Fact]
    public void MaxAndSkip_stops_at_the_end_and_then_returns_the_stale_buffer_as_SB3()
    {
        var console = new FakeAtariEnv(4, 4, lives: 1, framesPerLife: 6);
        using var env = new MaxAndSkipEnv(console, skip: 4);
        env.Reset(seed: 0);
        env.Step(0);                                  // frames 1-4: buffer holds frames 3 and 4
        var (obs, reward, terminated, _, _) = env.Step(0);  // frames 5, 6: game over at the second repeat (i = 1 < skip - 2)
        Assert.True(terminated);
        Assert.Equal(7, console.Log.Count);
        Assert.Equal(FakeAtariEnv.RewardAt(5) + FakeAtariEnv.RewardAt(6), reward);
        Assert.Equal(Frame(3, 48).Zip(Frame(4, 48), MathF.Max), obs);
    }

    [Fact]
    public void EpisodicLife_ends_an_episode_per_life_and_resets_the_game_only_when_it_is_over()
    {
        var console = new FakeAtariEnv(4, 4, lives: 2, framesPerLife: 3);
        using var env = new EpisodicLifeEnv(console);
        env.Reset(seed: 0);
        Assert.False(env.Step(1).Terminated);
        Assert.False(env.Step(1).Terminated);
        var lost = env.Step(1);                       // frame 3: a life lost
        Assert.True(lost.Terminated);
        Assert.False(env.WasRealDone);
        env.Reset();                                  // a no-op step, not a reset
        Assert.Equal([-1, 1, 1, 1, 0], console.Log);
        Assert.Equal(4, console.Frame);
        env.Step(1);
        var over = env.Step(1);                       // frame 6: the last life, game over
        Assert.True(over.Terminated);
        Assert.True(env.WasRealDone);
        env.Reset();
        Assert.Equal(-1, console.Log[^1]);
        Assert.Equal(0, console.Frame);
    }

    [Fact]
    public void EpisodicLife_does_not_count_a_drop_to_zero_lives_as_a_lost_life()
    {
        // Qbert sits at 0 lives for some frames before the game ends; SB3 counts only 0 < lives < previous.
        var console = new ZeroLivesConsole();
        using var env = new EpisodicLifeEnv(console);
        env.Reset(seed: 0);
        Assert.True(env.Step(0).Terminated);   // 2 -> 1
        env.Reset();
        Assert.False(env.Step(0).Terminated);  // 1 -> 0, game not over yet
        Assert.True(env.Step(0).Terminated);   // the game itself ends
    }

    [Fact]
    public void FireReset_presses_FIRE_then_action_2_after_every_reset()
    {
        var console = new FakeAtariEnv(4, 4);
        using var env = new FireResetEnv(console);
        var (obs, info) = env.Reset(seed: 0);
        Assert.Equal([-1, 1, 2], console.Log);
        Assert.Equal(Frame(2, 48), obs);
        Assert.Empty(info);

        var error = Assert.Throws<ArgumentException>(() => new FireResetEnv(new FakeAtariEnv(4, 4, ["NOOP", "UP", "FIRE"])));
        Assert.Equal("FireResetEnv: needs action 1 to be FIRE and at least three actions, but the action meanings are [NOOP, UP, FIRE].", error.Message);
    }

    [Fact]
    public void WarpFrame_is_OpenCV_gray_then_area_resize_and_ClipReward_takes_the_sign()
    {
        var console = new FakeAtariEnv();
        using var env = new ClipRewardEnv(new WarpFrame(console));
        Assert.Equal("Box(0, 255, (84, 84, 1), uint8)", env.ObservationSpace.ToString());
        var (obs, _) = env.Reset(seed: 0);
        var gray = new float[210 * 160];
        GrayScale.FromRgb(Frame(0), gray);
        var expected = new float[84 * 84];
        new AreaResize(210, 160, 84, 84, 1).Apply(gray, expected);
        Assert.Equal(expected, obs);
        Assert.Equal([1.0, 0.0, -1.0, 0.0], Enumerable.Range(0, 4).Select(_ => env.Step(0).Reward).ToArray());
    }

    [Fact]
    public void AtariWrapper_composes_SB3s_wrappers_in_SB3s_order_with_its_defaults()
    {
        using var env = new AtariWrapper(new FakeAtariEnv());
        var chain = new List<string>();
        for (IEnv e = env.Inner; e is EnvWrapper w; e = w.Inner) chain.Add(e.GetType().Name);
        Assert.Equal(["ClipRewardEnv", "WarpFrame", "FireResetEnv", "EpisodicLifeEnv", "MaxAndSkipEnv", "NoopResetEnv", "RecordEpisodeStatistics"], chain);
        Assert.Equal("Box(0, 255, (84, 84, 1), uint8)", env.ObservationSpace.ToString());

        using var plain = new AtariWrapper(new FakeAtariEnv(meanings: ["NOOP", "RIGHT", "LEFT"]),
            new AtariWrapperOptions { NoopMax = 0, FrameSkip = 1, TerminalOnLifeLoss = false, ClipReward = false, ActionRepeatProbability = 0.25, ScreenSize = 42 });
        chain.Clear();
        for (IEnv e = plain.Inner; e is EnvWrapper w; e = w.Inner) chain.Add(e.GetType().Name);
        Assert.Equal(["WarpFrame", "StickyActionEnv", "RecordEpisodeStatistics"], chain);
        Assert.Equal("Box(0, 255, (42, 42, 1), uint8)", plain.ObservationSpace.ToString());
    }

    [Fact]
    public void Vector_envs_report_whole_games_with_raw_scores_while_each_lost_life_terminates()
    {
        // 3 lives of 20 frames, frame skip 4: a life is 5 agent steps, the game 60 frames.
        using var vec = MakeAtariEnv.Create(_ => new FakeAtariEnv(), 2, new AtariWrapperOptions { NoopMax = 1 });
        vec.Reset(seed: 0);
        var actions = new float[2];
        int lifeEnds = 0;
        var games = new List<EpisodeRecord>();
        for (int t = 0; t < 40 && games.Count < 2; t++)
        {
            vec.Step(actions);
            lifeEnds += vec.Terminated.Count(x => x);
            games.AddRange(vec.CompletedEpisodes);
        }
        Assert.Equal(2, games.Count);
        Assert.True(lifeEnds >= 6, $"{lifeEnds} life ends");
        // Every frame of the game passes through the monitor under the wrappers: 60 frames, raw rewards summed.
        Assert.All(games, g => Assert.Equal(60, g.Length));
        Assert.All(games, g => Assert.Equal(Enumerable.Range(1, 60).Sum(FakeAtariEnv.RewardAt), g.Return));
        Assert.All(vec.Rewards, r => Assert.InRange(r, -1f, 1f));
    }

    [Fact]
    public void The_wrapped_chain_restores_its_state_and_steps_without_allocating()
    {
        IEnv Make() => new AtariWrapper(new StatefulConsole(), new AtariWrapperOptions { ActionRepeatProbability = 0.3 });
        static List<(float, double, bool)> Play(IEnv env, int steps)
        {
            var trace = new List<(float, double, bool)>();
            for (int t = 0; t < steps; t++)
            {
                var (obs, reward, terminated, truncated, _) = env.Step(1 + t % 3);
                trace.Add((obs.Sum(), reward, terminated));
                if (terminated || truncated) env.Reset();
            }
            return trace;
        }
        using var env = Make();
        env.Reset(seed: 4);
        Play(env, 7);
        var state = VectorEnvs.VectorEnvTesting.SaveState((IStateful)env);
        var expected = Play(env, 12);
        using var restored = Make();
        VectorEnvs.VectorEnvTesting.LoadState((IStateful)restored, state);
        Assert.Equal(expected, Play(restored, 12));

        using var vec = MakeAtariEnv.Create(_ => new StatefulConsole(lives: 1000), 2);
        vec.Reset(seed: 0);
        var actions = new float[] { 2, 3 };
        for (int t = 0; t < 5; t++) vec.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 20; t++) vec.Step(actions);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Lives 2, 1, 0 (for two frames), then game over.</summary>
    private sealed class ZeroLivesConsole : IAtariEnv
    {
        private int _frame;
        public Abstractions.Spaces.Space ObservationSpace { get; } = new Abstractions.Spaces.Box(0, 255, [2, 2, 3], "uint8");
        public Abstractions.Spaces.Space ActionSpace { get; } = new Abstractions.Spaces.Discrete(2);
        public IReadOnlyList<string> ActionMeanings { get; } = ["NOOP", "UP"];
        public int Lives => _frame switch { 0 => 2, 1 => 1, _ => 0 };
        public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;
        public void Reset(Span<float> observation, int? seed = null) => _frame = 0;
        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) => new(0, ++_frame >= 4, false);
        public RgbFrame Render() => new(1, 1);
        public void Dispose() { }
    }

    /// <summary>A console whose whole state (frame, lives, game over) can be saved, with an allocation-free info.</summary>
    private sealed class StatefulConsole(int lives = 3) : IAtariEnv, IStateful
    {
        private int _frame, _lives;
        private bool _over = true;
        public Abstractions.Spaces.Space ObservationSpace { get; } = new Abstractions.Spaces.Box(0, 255, [210, 160, 3], "uint8");
        public Abstractions.Spaces.Space ActionSpace { get; } = new Abstractions.Spaces.Discrete(4);
        public IReadOnlyList<string> ActionMeanings => FakeAtariEnv.DefaultMeanings;
        public int Lives => _lives;
        public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

        public void Reset(Span<float> observation, int? seed = null)
        {
            (_frame, _lives, _over) = (0, lives, false);
            Draw(observation);
        }

        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            if (_over) throw new InvalidOperationException("step after game over");
            _frame += 1 + (int)action[0];
            if (_frame >= 17 * (lives - _lives + 1)) _lives--;
            _over = _lives == 0;
            Draw(observation);
            return new StepOutcome(FakeAtariEnv.RewardAt(_frame), _over, false);
        }

        private void Draw(Span<float> observation)
        {
            for (int k = 0; k < observation.Length; k++) observation[k] = FakeAtariEnv.Pixel(_frame, k);
        }

        public void WriteState(BinaryWriter writer)
        {
            writer.Write(_frame);
            writer.Write(_lives);
            writer.Write(_over);
        }

        public void ReadState(BinaryReader reader)
        {
            _frame = reader.ReadInt32();
            _lives = reader.ReadInt32();
            _over = reader.ReadBoolean();
        }

        public RgbFrame Render() => new(1, 1);
        public void Dispose() { }
    }
}
