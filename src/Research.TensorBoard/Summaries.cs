using Google.Protobuf;
using Research.Abstractions.Environments;
using Research.Abstractions.Imaging;
using Research.TensorBoard.Proto;

namespace Research.TensorBoard;

/// <summary>Builds the <see cref="Summary.Types.Value"/>s TensorBoard's dashboards read.</summary>
public static class Summaries
{
    /// <summary>The text plugin's name; its content (TextPluginData version 0) serialises to no bytes.</summary>
    public const string TextPluginName = "text";

    /// <summary>A scalar in the classic <c>simple_value</c> form (TensorBoard's scalars dashboard).</summary>
    public static Summary.Types.Value Scalar(string tag, float value) => new() { Tag = CheckTag(tag), SimpleValue = value };

    /// <summary>A text summary in the text plugin's tensor form: a scalar DT_STRING tensor holding UTF-8 (rendered as Markdown).</summary>
    public static Summary.Types.Value Text(string tag, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tensor = new TensorProto { Dtype = DataType.DtString, TensorShape = new TensorShapeProto() };
        tensor.StringVal.Add(ByteString.CopyFromUtf8(text));
        return new Summary.Types.Value
        {
            Tag = CheckTag(tag),
            Metadata = new SummaryMetadata
            {
                PluginData = new SummaryMetadata.Types.PluginData { PluginName = TextPluginName },
                DataClass = DataClass.Tensor,
            },
            Tensor = tensor,
        };
    }

    /// <summary>A histogram with TensorFlow's default buckets (the histograms and distributions dashboards).</summary>
    public static Summary.Types.Value Histogram(string tag, ReadOnlySpan<float> values) =>
        new() { Tag = CheckTag(tag), Histo = Histograms.Build(values) };

    /// <summary>An RGB image, PNG-encoded (the images dashboard).</summary>
    public static Summary.Types.Value Image(string tag, RgbFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new Summary.Types.Value
        {
            Tag = CheckTag(tag),
            Image = new Summary.Types.Image
            {
                Width = frame.Width,
                Height = frame.Height,
                Colorspace = 3,
                EncodedImageString = ByteString.CopyFrom(PngEncoder.Encode(frame)),
            },
        };
    }

    internal static string CheckTag(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return tag;
    }
}
