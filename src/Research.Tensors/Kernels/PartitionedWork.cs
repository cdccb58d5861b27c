namespace Research.Tensors.Kernels;

/// <summary>
/// A job cut into numbered parts that write disjoint outputs. Any thread may run any part, so a part's result must
/// not depend on which thread runs it or in what order the parts run.
/// </summary>
internal interface IPartitionedWork
{
    /// <summary>Runs part <paramref name="part"/> of the job.</summary>
    void RunPart(int part);
}
