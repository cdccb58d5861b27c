using System.CommandLine;
using Research.Rl.Checking;
using Research.Rl.Rollouts;

namespace Research.Cli.Commands;

/// <summary><c>research env render|rollout|check</c>: look at, replay and check an environment.</summary>
internal static class EnvCommands
{
    public static Command Create(CliContext context)
    {
        var env = new Command("env", "Render, roll out and check environments.");
        env.Subcommands.Add(Render(context));
        env.Subcommands.Add(RolloutCommand(context));
        env.Subcommands.Add(Check(context));
        return env;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "An environment id (for example CartPole-v1)." };

    private static Command Render(CliContext context)
    {
        var id = IdArgument();
        var steps = new Option<int>("--steps") { Description = "Steps to play.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the first reset and of random actions." };
        var policy = new Option<string>("--policy") { Description = PolicyResolver.Help, DefaultValueFactory = _ => "random" };
        var output = new Option<string>("--output", "-o") { Description = "The animated GIF to write.", Required = true };
        var delay = new Option<int>("--delay") { Description = "Milliseconds between frames.", DefaultValueFactory = _ => 33 };
        var command = new Command("render", "Play an environment and write the frames as an animated GIF.") { id, steps, seed, policy, output, delay };
        command.SetAction(parse =>
        {
            using var environment = context.Catalog.CreateEnvironment(parse.GetValue(id)!);
            var actions = PolicyResolver.Resolve(context, parse.GetValue(policy)!, environment, parse.GetValue(seed));
            int frames = GifRecorder.Record(environment, parse.GetValue(steps), parse.GetValue(seed), actions(), parse.GetValue(output)!, parse.GetValue(delay));
            context.Out.WriteLine($"wrote {frames} frames to {parse.GetValue(output)}");
            return Program.Success;
        });
        return command;
    }

    private static Command RolloutCommand(CliContext context)
    {
        var id = IdArgument();
        var seed = new Option<int?>("--seed") { Description = "Seed of the first reset (later episodes continue the stream, as Gymnasium)." };
        var actionsFile = new Option<string?>("--actions") { Description = "Replay these actions: one per line, a JSON array per line for Box actions." };
        var policy = new Option<string>("--policy") { Description = PolicyResolver.Help, DefaultValueFactory = _ => "random" };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to play.", DefaultValueFactory = _ => 1 };
        var command = new Command("rollout", "Play episodes and print every step as a JSON line (diffable against Gymnasium).") { id, seed, actionsFile, policy, episodes };
        command.SetAction(parse =>
        {
            using var environment = context.Catalog.CreateEnvironment(parse.GetValue(id)!);
            var options = new RolloutOptions { Episodes = parse.GetValue(episodes), Seed = parse.GetValue(seed) };
            var file = parse.GetValue(actionsFile);
            if (file is not null)
            {
                // A replayed list ends each episode where the list ends, so a short list is a prefix of a trajectory.
                var list = PolicyResolver.ReadActions(file, environment.ActionSpace.FlatSize);
                Rollout.WriteJsonLines(environment, ActionPolicies.Fixed(list), options with { MaxStepsPerEpisode = list.Count }, context.Out);
            }
            else
            {
                Rollout.WriteJsonLines(environment, PolicyResolver.Resolve(context, parse.GetValue(policy)!, environment, parse.GetValue(seed)), options, context.Out);
            }
            return Program.Success;
        });
        return command;
    }

    private static Command Check(CliContext context)
    {
        var id = IdArgument();
        var seed = new Option<int>("--seed") { Description = "Seed used by the checks.", DefaultValueFactory = _ => 0 };
        var command = new Command("check", "Check an environment against the contract (spaces, seeding, episode ends, rewards, render, state).") { id, seed };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(id)!;
            var findings = EnvChecker.Check(() => context.Catalog.CreateEnvironment(name), new EnvCheckOptions { Seed = parse.GetValue(seed) });
            foreach (var finding in findings) context.Out.WriteLine(finding);
            bool failed = findings.Any(f => f.Severity == FindingSeverity.Error);
            context.Out.WriteLine(failed ? $"{name}: contract violations found" : $"{name}: ok ({findings.Count} warning(s))");
            return failed ? Program.Failure : Program.Success;
        });
        return command;
    }
}
