using Research.Tensors;

namespace Research.Rl.Wrappers.Atari;

/// <summary>Saves and restores the generators of the Atari wrappers.</summary>
internal static class AtariState
{
    public static void Write(BinaryWriter writer, Generator generator)
    {
        var s = generator.State;
        writer.Write(s.S0);
        writer.Write(s.S1);
        writer.Write(s.S2);
        writer.Write(s.S3);
        writer.Write(s.HasSpareNormal);
        writer.Write(s.SpareNormal);
    }

    public static void Read(BinaryReader reader, Generator generator) =>
        generator.State = new GeneratorState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
            reader.ReadBoolean(), reader.ReadDouble());
}
