namespace Research.Tune.Tests;

/// <summary>Issue 13's integrity defects in the sweep's files: temporaries, checkpoint integrity and pruning.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public void A_state_file_that_cannot_be_published_leaves_no_temporary_and_names_the_state_file()
    {
        // Item 2: Tune's own writer left experiment_state.json.<pid>.<thread>.tmp behind for good when the rename failed.
        using var dir = new TempDir();
        string statePath = Path.Combine(dir.Path, TrialFiles.ExperimentState);
        Directory.CreateDirectory(statePath);
        File.WriteAllText(Path.Combine(statePath, "blocker"), "x");
        var state = new ExperimentState { Name = "exp", SearchSeed = 1, Trials = [] };

        var e = Assert.ThrowsAny<IOException>(() => state.Save(dir.Path));

        Assert.StartsWith(statePath, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Equal([statePath], Directory.GetFileSystemEntries(dir.Path));
    }
}
