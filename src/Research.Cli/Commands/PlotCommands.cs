using System.CommandLine;
using Research.Plots;

namespace Research.Cli.Commands;

/// <summary><c>research plot curves|expert</c>: learning curves of runs and sweeps, and an expert dataset's return histogram, as PNG or SVG.</summary>
internal static class PlotCommands
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("paths") { Description = "monitor.csv, progress.csv, result.json or TensorBoard files, run folders, or a sweep folder (its trials).", Arity = ArgumentArity.OneOrMore };
        var x = new Option<XAxis>("--x") { Description = "The x axis: timesteps, episodes or walltime.", DefaultValueFactory = _ => XAxis.Timesteps };
        var metric = new Option<string?>("--y") { Description = "The y value: a column, key or tag (default: the episode return of each format)." };
        var smooth = new Option<int>("--smooth") { Description = "Moving-average window, in points.", DefaultValueFactory = _ => 1 };
        var groupBy = new Option<string?>("--group-by") { Description = "Average the runs of each value of this hyperparameter (e.g. seeds of one setting) with a band." };
        var band = new Option<Band>("--band") { Description = "The band around a group's mean: std or minmax.", DefaultValueFactory = _ => Band.Std };
        var colorBy = new Option<string?>("--color-by") { Description = "Colour each run by this hyperparameter (a sweep's trials)." };
        var title = new Option<string?>("--title") { Description = "The plot's title." };
        var width = new Option<int>("--width") { Description = "Width in pixels.", DefaultValueFactory = _ => 800 };
        var height = new Option<int>("--height") { Description = "Height in pixels.", DefaultValueFactory = _ => 500 };
        var output = new Option<string>("--output", "-o") { Description = "The image to write: .png or .svg.", Required = true };
        var curves = new Command("curves", "Learning curves of one or many runs (SB3's results_plotter, the zoo's plot scripts).")
            { paths, x, metric, smooth, groupBy, band, colorBy, title, width, height, output };
        curves.SetAction(parse =>
        {
            var runs = RunReader.Read(parse.GetValue(paths)!, parse.GetValue(x), parse.GetValue(metric));
            var options = new CurvePlotOptions
            {
                X = parse.GetValue(x),
                Metric = parse.GetValue(metric),
                Smoothing = parse.GetValue(smooth),
                GroupBy = parse.GetValue(groupBy),
                Band = parse.GetValue(band),
                ColorBy = parse.GetValue(colorBy),
                Title = parse.GetValue(title),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
            };
            var result = CurvePlot.Save(runs, options, parse.GetValue(output)!);
            context.Out.WriteLine($"wrote {result.Path} ({runs.Count} run{(runs.Count == 1 ? "" : "s")}, {result.Width}×{result.Height})");
            return Program.Success;
        });

        var dataset = new Argument<string>("dataset") { Description = "An expert .npz (research expert record, SB2's generate_expert_traj)." };
        var bins = new Option<int>("--bins") { Description = "Histogram bins (0: about the square root of the episodes)." };
        var expertOutput = new Option<string>("--output", "-o") { Description = "The image to write: .png or .svg.", Required = true };
        var expert = new Command("expert", "The histogram of an expert dataset's episode returns (SB2's ExpertDataset.plot()).") { dataset, bins, expertOutput };
        expert.SetAction(parse =>
        {
            var result = ExpertPlot.SaveReturnHistogram(parse.GetValue(dataset)!, parse.GetValue(expertOutput)!, parse.GetValue(bins));
            context.Out.WriteLine($"wrote {result.Path}");
            return Program.Success;
        });
        return new Command("plot", "Plot learning curves and expert datasets.") { curves, expert };
    }
}
