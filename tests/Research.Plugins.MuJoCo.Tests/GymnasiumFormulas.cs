using Research.Plugins.MuJoCo.Native;

namespace Research.Plugins.MuJoCo.Tests;

/// <summary>What the simulation looked like before a step: the arrays Gymnasium's step() reads before do_simulation.</summary>
internal sealed record Before(double[] Qpos, double[] Qvel, double[] Xpos, double[] Xipos)
{
    public static Before Of(MjData data) => new(data.Qpos.ToArray(), data.Qvel.ToArray(), data.Xpos.ToArray(), data.Xipos.ToArray());
}

/// <summary>One step as Gymnasium 0.29.1's v4 step() computes it, transliterated from the Python (default options).</summary>
internal sealed record Expectation(double Reward, bool Terminated, (string Key, double Value)[] Info, double[] Observation);

/// <summary>Gymnasium's <c>step</c> and <c>_get_obs</c> of each v4 environment, written out again from the Python source and applied to recorded states.</summary>
internal static class GymnasiumFormulas
{
    public static Expectation Step(MuJoCoEnv env, Before before, float[] action)
    {
        var m = env.Model;
        var d = env.Data;
        var q = d.Qpos.ToArray();
        var v = d.Qvel.ToArray();
        double dt = env.Dt;
        switch (env.Id)
        {
            case "HalfCheetah-v4":
            {
                double xVelocity = (q[0] - before.Qpos[0]) / dt;
                double ctrlCost = 0.1 * NumpyArithmetic.SumOfSquares<float>(action);
                double forwardReward = 1.0 * xVelocity;
                return new(forwardReward - ctrlCost, false,
                    [("x_position", q[0]), ("x_velocity", xVelocity), ("reward_run", forwardReward), ("reward_ctrl", -ctrlCost)],
                    Observation(env));
            }
            case "Hopper-v4":
            case "Walker2d-v4":
            {
                bool hopper = env.Id == "Hopper-v4";
                double xVelocity = (q[0] - before.Qpos[0]) / dt;
                double ctrlCost = 1e-3 * NumpyArithmetic.SumOfSquares<float>(action);
                double forwardReward = 1.0 * xVelocity;
                double z = q[1], angle = q[2];
                bool healthy = hopper
                    ? q.Skip(2).Concat(v).All(s => -100.0 < s && s < 100.0) && 0.7 < z && z < double.PositiveInfinity && -0.2 < angle && angle < 0.2
                    : 0.8 < z && z < 2.0 && -1.0 < angle && angle < 1.0;
                double healthyReward = (healthy || true ? 1.0 : 0.0) * 1.0;
                double rewards = forwardReward + healthyReward;
                return new(rewards - ctrlCost, !healthy, [("x_position", q[0]), ("x_velocity", xVelocity)], Observation(env));
            }
            case "Ant-v4":
            {
                int torso = m.IdOf(MjObject.Body, "torso");
                double[] after = [d.Xpos[torso * 3], d.Xpos[torso * 3 + 1]];
                double xVelocity = (after[0] - before.Xpos[torso * 3]) / dt, yVelocity = (after[1] - before.Xpos[torso * 3 + 1]) / dt;
                double forwardReward = xVelocity;
                bool healthy = q.Concat(v).All(double.IsFinite) && 0.2 <= q[2] && q[2] <= 1.0;
                double healthyReward = 1.0;
                double rewards = forwardReward + healthyReward;
                double ctrlCost = 0.5 * NumpyArithmetic.SumOfSquares<float>(action);
                return new(rewards - ctrlCost, !healthy,
                    [("reward_forward", forwardReward), ("reward_ctrl", -ctrlCost), ("reward_survive", healthyReward), ("x_position", after[0]),
                     ("y_position", after[1]), ("distance_from_origin", NumpyArithmetic.Norm(after)), ("x_velocity", xVelocity),
                     ("y_velocity", yVelocity), ("forward_reward", forwardReward)],
                    Observation(env));
            }
            case "Humanoid-v4":
            {
                var mass = m.BodyMass.ToArray();
                var (xBefore, yBefore) = MassCenter(mass, before.Xipos);
                var (xAfter, yAfter) = MassCenter(mass, d.Xipos.ToArray());
                double xVelocity = (xAfter - xBefore) / dt, yVelocity = (yAfter - yBefore) / dt;
                double ctrlCost = 0.1 * NumpyArithmetic.SumOfSquares<double>(d.Ctrl.ToArray());
                double forwardReward = 1.25 * xVelocity;
                bool healthy = 1.0 < q[2] && q[2] < 2.0;
                double healthyReward = 5.0;
                return new(forwardReward + healthyReward - ctrlCost, !healthy,
                    [("reward_linvel", forwardReward), ("reward_quadctrl", -ctrlCost), ("reward_alive", healthyReward), ("x_position", xAfter),
                     ("y_position", yAfter), ("distance_from_origin", NumpyArithmetic.Norm([xAfter, yAfter])), ("x_velocity", xVelocity),
                     ("y_velocity", yVelocity), ("forward_reward", forwardReward)],
                    Observation(env));
            }
            case "HumanoidStandup-v4":
            {
                double uphCost = (q[2] - 0) / m.Timestep;
                double quadCtrlCost = 0.1 * NumpyArithmetic.SumOfSquares<double>(d.Ctrl.ToArray());
                double quadImpactCost = 0.5e-6 * NumpyArithmetic.SumOfSquares<double>(d.CfrcExt.ToArray());
                quadImpactCost = 10 < quadImpactCost ? 10 : quadImpactCost;
                return new(uphCost - quadCtrlCost - quadImpactCost + 1, false,
                    [("reward_linup", uphCost), ("reward_quadctrl", -quadCtrlCost), ("reward_impact", -quadImpactCost)], Observation(env));
            }
            case "Reacher-v4":
            {
                var vec = Difference(before.Xpos, m.IdOf(MjObject.Body, "fingertip"), m.IdOf(MjObject.Body, "target"));
                double rewardDist = -NumpyArithmetic.Norm(vec);
                float rewardCtrl = -NumpyArithmetic.SumOfSquares<float>(action);
                return new(rewardDist + rewardCtrl, false, [("reward_dist", rewardDist), ("reward_ctrl", rewardCtrl)], Observation(env));
            }
            case "Pusher-v4":
            {
                int obj = m.IdOf(MjObject.Body, "object");
                var vec1 = Difference(before.Xpos, obj, m.IdOf(MjObject.Body, "tips_arm"));
                var vec2 = Difference(before.Xpos, obj, m.IdOf(MjObject.Body, "goal"));
                double rewardNear = -NumpyArithmetic.Norm(vec1);
                double rewardDist = -NumpyArithmetic.Norm(vec2);
                float rewardCtrl = -NumpyArithmetic.SumOfSquares<float>(action);
                return new(rewardDist + 0.1 * rewardCtrl + 0.5 * rewardNear, false, [("reward_dist", rewardDist), ("reward_ctrl", rewardCtrl)], Observation(env));
            }
            case "Swimmer-v4":
            {
                double xVelocity = (q[0] - before.Qpos[0]) / dt, yVelocity = (q[1] - before.Qpos[1]) / dt;
                double forwardReward = 1.0 * xVelocity;
                double ctrlCost = 1e-4 * NumpyArithmetic.SumOfSquares<float>(action);
                return new(forwardReward - ctrlCost, false,
                    [("reward_fwd", forwardReward), ("reward_ctrl", -ctrlCost), ("x_position", q[0]), ("y_position", q[1]),
                     ("distance_from_origin", NumpyArithmetic.Norm([q[0], q[1]])), ("x_velocity", xVelocity), ("y_velocity", yVelocity),
                     ("forward_reward", forwardReward)],
                    Observation(env));
            }
            case "InvertedPendulum-v4":
            {
                var ob = Observation(env);
                return new(1.0, !ob.All(double.IsFinite) || Math.Abs(ob[1]) > 0.2, [], ob);
            }
            case "InvertedDoublePendulum-v4":
            {
                double x = d.SiteXpos[0], y = d.SiteXpos[2];
                double distPenalty = 0.01 * Math.Pow(x, 2) + Math.Pow(y - 2, 2);
                double v1 = v[1], v2 = v[2];
                double velPenalty = 1e-3 * Math.Pow(v1, 2) + 5e-3 * Math.Pow(v2, 2);
                double aliveBonus = 10;
                return new(aliveBonus - distPenalty - velPenalty, y <= 1, [], Observation(env));
            }
            default:
                throw new ArgumentException(env.Id);
        }
    }

    /// <summary>Each environment's <c>_get_obs</c> with its default options, in float64.</summary>
    public static double[] Observation(MuJoCoEnv env)
    {
        var m = env.Model;
        var d = env.Data;
        var q = d.Qpos.ToArray();
        var v = d.Qvel.ToArray();
        double[] Clip(IEnumerable<double> values) => values.Select(x => x < -10 ? -10 : x > 10 ? 10 : x).ToArray();
        double[] Body(string name) => d.Xpos.Slice(m.IdOf(MjObject.Body, name) * 3, 3).ToArray();
        return env.Id switch
        {
            "HalfCheetah-v4" => [.. q[1..], .. v],
            "Hopper-v4" or "Walker2d-v4" => [.. q[1..], .. Clip(v)],
            "Ant-v4" or "Swimmer-v4" => [.. q[2..], .. v],
            "Humanoid-v4" or "HumanoidStandup-v4" =>
                [.. q[2..], .. v, .. d.Cinert, .. d.Cvel, .. d.QfrcActuator, .. d.CfrcExt],
            "Reacher-v4" =>
                [Math.Cos(q[0]), Math.Cos(q[1]), Math.Sin(q[0]), Math.Sin(q[1]), .. q[2..], .. v[..2],
                 .. Body("fingertip").Zip(Body("target"), (a, b) => a - b)],
            "Pusher-v4" => [.. q[..7], .. v[..7], .. Body("tips_arm"), .. Body("object"), .. Body("goal")],
            "InvertedPendulum-v4" => [.. q, .. v],
            "InvertedDoublePendulum-v4" =>
                [q[0], .. q[1..].Select(Math.Sin), .. q[1..].Select(Math.Cos), .. Clip(v), .. Clip(d.QfrcConstraint.ToArray())],
            _ => throw new ArgumentException(env.Id),
        };
    }

    // mass_center: np.sum(mass * xipos, axis=0) / np.sum(mass), x and y.
    private static (double X, double Y) MassCenter(double[] mass, double[] xipos)
    {
        double x = 0, y = 0;
        for (int i = 0; i < mass.Length; i++)
        {
            x += mass[i] * xipos[i * 3];
            y += mass[i] * xipos[i * 3 + 1];
        }
        double total = NumpyArithmetic.Sum<double>(mass);
        return (x / total, y / total);
    }

    private static double[] Difference(double[] xpos, int a, int b) => [xpos[a * 3] - xpos[b * 3], xpos[a * 3 + 1] - xpos[b * 3 + 1], xpos[a * 3 + 2] - xpos[b * 3 + 2]];
}
