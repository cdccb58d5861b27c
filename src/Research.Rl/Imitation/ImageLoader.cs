namespace Research.Rl.Imitation;

/// <summary>Loads the image observation of one step as floats (0–255, height × width × channels).</summary>
internal static class ImageLoader
{
    /// <summary>Decodes step <paramref name="index"/>'s PNG into <paramref name="destination"/>, whose length is the expected size.</summary>
    public static void Load(ExpertTrajectories data, int index, Span<float> destination)
    {
        var image = Decode(data, index);
        if (image.Pixels.Length != destination.Length)
            throw new ExpertDataException($"{data.Source}: image of step {index} ({data.ImagePath(index)}) is {image.Height}x{image.Width}x{image.Channels} = {image.Pixels.Length} values; expected {destination.Length}.");
        for (int i = 0; i < destination.Length; i++) destination[i] = image.Pixels[i];
    }

    /// <summary>Reads and decodes step <paramref name="index"/>'s PNG; errors name the data, the step and the file.</summary>
    public static DecodedImage Decode(ExpertTrajectories data, int index)
    {
        string path = data.ImagePath(index);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ExpertDataException($"{data.Source}: image of step {index} is missing: {path}", e);
        }
        try
        {
            return PngDecoder.Decode(bytes, path);
        }
        catch (InvalidDataException e)
        {
            throw new ExpertDataException($"{data.Source}: image of step {index} cannot be decoded: {e.Message}", e);
        }
    }
}
