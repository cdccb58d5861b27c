namespace Research.Rl.Imitation;

/// <summary>An endless sequence of batches over one split, epoch after epoch.</summary>
internal interface IBatchSource : IDisposable
{
    /// <summary>The next batch; the previous one may be reused.</summary>
    ExpertBatch Next();
}
