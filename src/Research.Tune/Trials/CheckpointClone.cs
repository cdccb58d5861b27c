namespace Research.Tune;

public static partial class CheckpointStore
{
    private const string CloneReady = ".clone";

    /// <summary>
    /// Makes a copy of the checkpoint <paramref name="source"/> (another trial's, for a PBT exploit) the trial's only checkpoint, recording
    /// <paramref name="resultRows"/> as its row count so the trial keeps the rows it wrote before. Returns false, changing nothing, when
    /// the source is gone or incomplete (its trial pruned it meanwhile). A source inside the trial's own folder stays where it is.
    /// </summary>
    /// <remarks>Safe to repeat after a kill at any point: the copy is published complete (<see cref="AtomicDirectory"/>) under a ready name
    /// before the trial's own checkpoints go, then renamed into the listing.</remarks>
    public static bool CloneInto(string source, string trialDir, int resultRows)
    {
        string ready = Path.Combine(trialDir, CloneReady);
        if (Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(source))!) == Path.GetFullPath(trialDir))
        {
            if (!File.Exists(Path.Combine(source, InfoFile))) return false;
            foreach (var newer in List(trialDir).Where(c => Path.GetFullPath(c.Path) != Path.GetFullPath(source)
                                                         && c.TrainingIteration >= ReadInfo(source).TrainingIteration))
                AtomicDirectory.Delete(newer.Path);
            return true;
        }
        if (!Directory.Exists(ready))
        {
            try
            {
                if (!File.Exists(Path.Combine(source, InfoFile))) return false;
                AtomicDirectory.Write(ready, staging =>
                {
                    CopyDirectory(source, staging);
                    TuneJson.Write(Path.Combine(staging, InfoFile), ReadInfo(staging) with { Path = "", ResultRows = resultRows });
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return false;
            }
        }
        var cloned = ReadInfo(ready);
        foreach (var own in List(trialDir)) AtomicDirectory.Delete(own.Path);
        string final = Path.Combine(trialDir, Prefix + cloned.TrainingIteration.ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
        Directory.Move(ready, final);
        return true;
    }

    private static CheckpointInfo ReadInfo(string checkpointDir) => TuneJson.Read<CheckpointInfo>(Path.Combine(checkpointDir, InfoFile));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        // StorageException (a disk-full write, say) is an IOException too: the caller gives the exploit up.
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
