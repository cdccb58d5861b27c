using System.Runtime.CompilerServices;
using Research.Abstractions.Spaces;

namespace Research.Rl.Policies;

/// <summary>
/// Where the pixels of an image observation sit in its flat encoding, so <see cref="NatureCnn"/> can turn a batch into the
/// channel-first <c>(C, H, W)</c> input of its convolutions.
/// </summary>
/// <remarks>
/// An image is Stable-Baselines' image space — a uint8 Box with bounds 0 and 255 of rank 3 — or <see cref="Wrappers.FrameStack"/>'s
/// stack of such images, rank 4 <c>(k, …)</c>, whose k frames become k × C channels (oldest first), as SB3's
/// <c>VecFrameStack</c> stacks them. A rank-3 shape is channel-first when its first dimension is its smallest (SB3's
/// <c>is_image_space_channels_first</c>), otherwise channel-last.
/// </remarks>
/// <param name="Frames">Stacked frames (1 for a plain image).</param>
/// <param name="FrameChannels">Channels of one frame.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
/// <param name="ChannelsLast">Whether a frame is stored <c>(H, W, C)</c> rather than <c>(C, H, W)</c>.</param>
public sealed record ImageLayout(int Frames, int FrameChannels, int Height, int Width, bool ChannelsLast)
{
    /// <summary>Channels of the network input: frames × channels per frame.</summary>
    public int Channels => Frames * FrameChannels;

    // Spaces are immutable, and preprocessing asks once per observation: remember the answer per Box (no allocation after the first).
    private static readonly ConditionalWeakTable<Box, Answer> Answers = new();

    /// <summary>The layout of <paramref name="space"/>, or null when it is not an image.</summary>
    public static ImageLayout? Of(Space space) =>
        space is Box box ? Answers.GetValue(box, static b => new Answer(Compute(b))).Layout : null;

    private static ImageLayout? Compute(Box box)
    {
        if (box.DType != "uint8" || box.Low.Any(x => x != 0) || box.High.Any(x => x != 255)) return null;
        return box.Shape switch
        {
            [_, _, _] => Frame(1, box.Shape[0], box.Shape[1], box.Shape[2]),
            [var k, var a, var b, var c] => Frame(k, a, b, c),
            _ => null,
        };
    }

    private sealed record Answer(ImageLayout? Layout);

    private static ImageLayout Frame(int frames, int a, int b, int c) =>
        a <= b && a <= c ? new ImageLayout(frames, a, b, c, ChannelsLast: false) : new ImageLayout(frames, c, a, b, ChannelsLast: true);
}
