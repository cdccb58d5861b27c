using System.CommandLine;
using Research.TensorBoard;

namespace Research.Cli.Commands;

/// <summary><c>research tb …</c>: inspect TensorBoard event files without TensorBoard.</summary>
internal static class TensorBoardCommands
{
    public static Command Create()
    {
        var command = new Command("tb", "Inspect TensorBoard event files.");
        command.Subcommands.Add(CreateDump());
        return command;
    }

    private static Command CreateDump()
    {
        var path = new Argument<string>("path") { Description = "An event file, or a run directory (its event files directly inside it)." };
        var tag = new Option<string?>("--tag") { Description = "Print this scalar tag's series as CSV (step,wall_time,value)." };
        var dump = new Command("dump", "Print every tag with its latest value, or one tag's series as CSV.") { path, tag };
        dump.SetAction(parseResult => Dump(parseResult.GetValue(path)!, parseResult.GetValue(tag)));
        return dump;
    }

    private static int Dump(string path, string? tag)
    {
        try
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                Console.Error.WriteLine($"tb dump: {path}: no such file or directory");
                return 2;
            }
            if (Directory.Exists(path) && EventFileReader.EventFiles(path).Count == 0)
            {
                Console.Error.WriteLine($"tb dump: {path}: no event files in this directory (runs are sub-directories; name one)");
                return 1;
            }
            var events = EventFileReader.Read(path, warning => Console.Error.WriteLine($"warning: {warning}"));
            if (tag is null) EventDump.WriteTags(Console.Out, EventDump.Tags(events));
            else EventDump.WriteCsv(Console.Out, EventDump.Series(events, tag));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine($"tb dump: {e.Message}");
            return 1;
        }
    }
}
