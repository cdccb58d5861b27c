namespace Research.Tune;

public static partial class CheckpointStore
{
    private const string CloneStaging = ".clone.tmp";
    private const string CloneReady = ".clone";

    /// <summary>
    /// Makes a copy of the checkpoint <paramref name="source"/> (another trial's, for a PBT exploit) the trial's only checkpoint, recording
    /// <paramref name="resultRows"/> as its row count so the trial keeps the rows it wrote before. Returns false, changing nothing, when
    /// the source is gone or incomplete (its trial pruned it meanwhile). A source inside the trial's own folder stays where it is.
    /// </summary>
    /// <remarks>Safe to repeat after a kill at any point: the copy is staged and renamed ready before the trial's own checkpoints go.</remarks>
    public static bool CloneInto(string source, string trialDir, int resultRows)
    {
        string ready = Path.Combine(trialDir, CloneReady);
        if (Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(source))!) == Path.GetFullPath(trialDir))
        {
            if (!File.Exists(Path.Combine(source, InfoFile))) return false;
            foreach (var newer in List(trialDir).Where(c => Path.GetFullPath(c.Path) != Path.GetFullPath(source)
                                                         && c.TrainingIteration >= ReadInfo(source).TrainingIteration))
                Directory.Delete(newer.Path, recursive: true);
            return true;
        }
        if (!Directory.Exists(ready))
        {
            string staging = Path.Combine(trialDir, CloneStaging);
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            try
            {
                if (!File.Exists(Path.Combine(source, InfoFile))) return false;
                CopyDirectory(source, staging);
                var info = ReadInfo(staging);
                TuneJson.Write(Path.Combine(staging, InfoFile), info with { Path = "", ResultRows = resultRows });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
                return false;
            }
            Directory.Move(staging, ready);
        }
        var cloned = ReadInfo(ready);
        foreach (var own in List(trialDir)) Directory.Delete(own.Path, recursive: true);
        string final = Path.Combine(trialDir, Prefix + cloned.TrainingIteration.ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
        Directory.Move(ready, final);
        return true;
    }

    private static CheckpointInfo ReadInfo(string checkpointDir) => TuneJson.Read<CheckpointInfo>(Path.Combine(checkpointDir, InfoFile));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
