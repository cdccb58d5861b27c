using System.Text.Json;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers.Images;

namespace Research.Rl.Tests.Images;

public sealed class ImageWrapperTests
{
    private static IEnumerable<JsonElement> GoldenCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "opencv_images.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Fact]
    public void GrayScale_matches_OpenCV_RGB2GRAY_bit_for_bit()
    {
        int compared = 0;
        foreach (var c in GoldenCases().Where(c => c.GetProperty("op").GetString() == "gray"))
        {
            var shape = Ints(c.GetProperty("shape"));
            var rgb = TestImages.Pattern(shape[0], shape[1], 3, c.GetProperty("kind").GetString()!);
            var gray = new float[shape[0] * shape[1]];
            GrayScale.FromRgb(rgb, gray);
            var expected = Convert.FromBase64String(c.GetProperty("output").GetString()!);
            Assert.Equal(expected.Select(b => (float)b), gray);
            compared++;
        }
        Assert.Equal(3, compared);
    }

    [Fact]
    public void AreaResize_matches_OpenCV_INTER_AREA_bit_for_bit_on_every_route()
    {
        var mismatches = new List<string>();
        int compared = 0;
        foreach (var c in GoldenCases().Where(c => c.GetProperty("op").GetString() == "resize"))
        {
            var shape = Ints(c.GetProperty("shape"));
            var size = Ints(c.GetProperty("size"));
            string kind = c.GetProperty("kind").GetString()!;
            float[] source = TestImages.Pattern(shape[0], shape[1], shape[2], kind);
            if (c.GetProperty("source").GetString() == "gray")
            {
                var rgb = TestImages.Pattern(shape[0], shape[1], 3, kind);
                GrayScale.FromRgb(rgb, source);
            }
            var output = new float[size[0] * size[1] * shape[2]];
            new AreaResize(shape[0], shape[1], size[0], size[1], shape[2]).Apply(source, output);
            var expected = Convert.FromBase64String(c.GetProperty("output").GetString()!);
            int wrong = expected.Where((b, i) => b != output[i]).Count();
            if (wrong > 0) mismatches.Add($"{string.Join("x", shape)} -> {string.Join("x", size)} {kind}: {wrong} of {expected.Length} pixels differ");
            compared++;
        }
        Assert.Empty(mismatches);
        Assert.Equal(23, compared);
    }

    [Fact]
    public void GrayScaleObservation_turns_RGB_frames_into_luma_with_or_without_the_channel_axis()
    {
        using var flat = new GrayScaleObservation(new PixelEnv([6, 5, 3]));
        Assert.Equal("Box(0, 255, (6, 5), uint8)", flat.ObservationSpace.ToString());
        using var kept = new GrayScaleObservation(new PixelEnv([6, 5, 3]), keepDim: true);
        Assert.Equal("Box(0, 255, (6, 5, 1), uint8)", kept.ObservationSpace.ToString());

        var (obs, _) = kept.Reset(seed: 0);
        var rgb = Enumerable.Range(0, 90).Select(k => PixelEnv.Pixel(0, 0, k)).ToArray();
        var expected = new float[30];
        GrayScale.FromRgb(rgb, expected);
        Assert.Equal(expected, obs);
        // (R, G, B) = (0, 1, 2): (4899·0 + 9617·1 + 1868·2 + 8192) >> 14 = 1.
        Assert.Equal(1f, obs[0]);
    }

    [Fact]
    public void Image_wrappers_refuse_what_they_cannot_convert()
    {
        var gray = Assert.Throws<ArgumentException>(() => new GrayScaleObservation(new PixelEnv([6, 5, 4])));
        Assert.Equal("GrayScaleObservation: observation space Box(0, 255, (6, 5, 4), uint8) is not supported; expected an RGB image: a uint8 Box of shape (height, width, 3).", gray.Message);
        var floats = Assert.Throws<ArgumentException>(() => new ResizeObservation(new VectorEnvs.ContinuousEnv(), 2));
        Assert.StartsWith("ResizeObservation: observation space Box(-Infinity, Infinity, (3,), float32) is not supported; expected an image", floats.Message);
        var enlarge = Assert.Throws<ArgumentException>(() => new ResizeObservation(new PixelEnv([6, 5, 3]), 8, 4));
        Assert.Contains("6×5 to 8×4 enlarges the image", enlarge.Message);
    }

    [Fact]
    public void ResizeObservation_keeps_channels_and_allocates_nothing_per_step()
    {
        using var env = new ResizeObservation(new GrayScaleObservation(new PixelEnv([210, 160, 3], episodeLength: 1000), keepDim: true), 84, 84);
        Assert.Equal("Box(0, 255, (84, 84, 1), uint8)", env.ObservationSpace.ToString());
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(obs, seed: 0);
        env.Step([1f], obs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 20; t++) env.Step([1f], obs);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(obs, v => Assert.InRange(v, 0f, 255f));
    }
}
