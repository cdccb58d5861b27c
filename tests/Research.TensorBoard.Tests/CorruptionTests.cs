using Research.TensorBoard.Proto;

namespace Research.TensorBoard.Tests;

public sealed class CorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A file of the version event and three scalars; returns its bytes and each record's start offset.</summary>
    private (byte[] Bytes, long[] Offsets) WriteSample()
    {
        string path;
        using (var writer = new SummaryWriter(_dir.Sub("src"), new EventFileWriterOptions { Clock = new FixedClock(DateTimeOffset.UnixEpoch.AddDays(1)) }))
        {
            path = writer.FilePath;
            for (int i = 0; i < 3; i++) writer.AddScalar("loss", i, i);
        }
        byte[] bytes = File.ReadAllBytes(path);
        using var stream = new MemoryStream(bytes);
        long[] offsets = [.. EventFileReader.ReadRecords(stream, path).Select(r => r.Offset)];
        return (bytes, offsets);
    }

    private string Save(byte[] bytes)
    {
        string path = _dir.Sub("events.out.tfevents.test");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_truncated_last_record_is_skipped_with_a_warning_at_every_cut()
    {
        var (bytes, offsets) = WriteSample();
        long lastStart = offsets[^1];
        for (long cut = lastStart + 1; cut < bytes.Length; cut++)
        {
            var warnings = new List<string>();
            var events = EventFileReader.ReadFile(Save(bytes[..(int)cut]), warnings.Add).ToList();
            Assert.Equal(3, events.Count); // version + two complete scalars
            Assert.Contains($"truncated last record at byte {lastStart}", Assert.Single(warnings));
        }
        Assert.Equal(4, EventFileReader.ReadFile(Save(bytes)).Count());
    }

    [Fact]
    public void A_bad_data_crc_names_file_and_offset()
    {
        var (bytes, offsets) = WriteSample();
        bytes[offsets[2] + TfRecord.HeaderSize + 3] ^= 0x01;
        string path = Save(bytes);
        var e = Assert.Throws<EventFileException>(() => EventFileReader.ReadFile(path).ToList());
        Assert.Equal($"{path}: record at byte {offsets[2]}: data CRC mismatch (corrupt record)", e.Message);
        Assert.Equal(offsets[2], e.Offset);
    }

    [Fact]
    public void A_bad_length_crc_names_file_and_offset()
    {
        var (bytes, offsets) = WriteSample();
        bytes[offsets[1]] ^= 0x40;
        var e = Assert.Throws<EventFileException>(() => EventFileReader.ReadFile(Save(bytes)).ToList());
        Assert.Contains($"record at byte {offsets[1]}: length CRC mismatch", e.Message);
    }

    [Fact]
    public void A_record_that_is_not_an_event_is_reported()
    {
        byte[] garbage = TfRecord.Frame([0xFF, 0xFF, 0xFF]);
        var e = Assert.Throws<EventFileException>(() => EventFileReader.ReadFile(Save(garbage)).ToList());
        Assert.Contains("record at byte 0: not an Event message", e.Message);
    }

    [Fact]
    public void Framing_puts_length_and_masked_crcs_around_the_data()
    {
        byte[] record = TfRecord.Frame("abc"u8);
        Assert.Equal(3 + 16, record.Length);
        Assert.Equal(3UL, BitConverter.ToUInt64(record, 0));
        Assert.Equal(Crc32C.Mask(Crc32C.Compute(record.AsSpan(0, 8))), BitConverter.ToUInt32(record, 8));
        Assert.Equal("abc"u8.ToArray(), record[12..15]);
        Assert.Equal(Crc32C.Mask(Crc32C.Compute("abc"u8)), BitConverter.ToUInt32(record, 15));
    }
}
