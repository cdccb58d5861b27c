namespace Research.Rl.Persistence;

/// <summary>
/// Where an algorithm's checkpoint lives in a checkpoint directory: one section file, <c>checkpoint.zip</c>, holding the model's
/// sections (so the directory loads wherever a <c>model.zip</c> does) and the training sections (<c>training/…</c>) that make a
/// restored run continue exactly. The directory may hold other files (Tune's <c>trial_state.json</c>).
/// </summary>
public static class CheckpointFile
{
    /// <summary>The file's name inside the checkpoint directory.</summary>
    public const string Name = "checkpoint.zip";

    /// <summary>Prefix of the sections only a checkpoint has (everything but the model's sections).</summary>
    public const string TrainingPrefix = "training/";

    /// <summary>The file inside <paramref name="directory"/>.</summary>
    public static string In(string directory) => Path.Combine(directory, Name);

    /// <summary>Writes <paramref name="directory"/>'s checkpoint file atomically from what <paramref name="write"/> puts in it.</summary>
    public static void Write(string directory, Action<SectionWriter> write)
    {
        using var file = SectionFileWriter.Create(In(directory));
        write(file.Root);
        file.Commit();
    }
}
