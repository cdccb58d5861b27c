using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Tensors.Io;
using Research.Tensors.Io.Pickle;
using static Research.Interop.Tests.Sb3ImportTests;

namespace Research.Interop.Tests;

/// <summary>Files that must be refused with the file and the reason named — and never run.</summary>
public sealed class Sb3BadInputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("research-sb3bad-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_pickle_calling_os_system_is_refused_by_its_global()
    {
        // What a malicious "state dict" looks like: GLOBAL os.system, then REDUCE with a shell command.
        var pickle = Concat([0x80, 0x02], "cos\nsystem\n"u8, [(byte)'X', 5, 0, 0, 0], "touch"u8, [0x85, (byte)'R', (byte)'.']);
        var file = TorchZip(pickle, []);
        var e = Assert.Throws<TorchFormatException>(() => TorchFile.Read(file, "evil.pth"));
        Assert.Contains("evil.pth", e.Message);
        Assert.Contains("global 'os.system' is not allowed", e.Message);
        Assert.Contains("nothing was run", e.Message);
    }

    [Fact]
    public void An_opcode_torch_save_never_emits_is_refused_by_name()
    {
        // INST (protocol 0) builds an object from a class name: never part of a state dict.
        var pickle = Concat([0x80, 0x02, (byte)'('], "ibuiltins\nobject\n"u8, [(byte)'.']);
        var e = Assert.Throws<TorchFormatException>(() => TorchFile.Read(TorchZip(pickle, []), "odd.pth"));
        Assert.Contains("odd.pth", e.Message);
        Assert.Contains("opcode INST", e.Message);
    }

    [Fact]
    public void A_storage_record_of_the_wrong_size_is_refused()
    {
        using var buffer = new MemoryStream();
        TorchFile.Write(buffer, TorchFile.StateDict([new("w", new TorchTensor(new NpyArray(new float[] { 1, 2, 3, 4 }, 2, 2)))]));
        var good = buffer.ToArray();
        Assert.Equal(new float[] { 1, 2, 3, 4 }, ((TorchTensor)((PyDict)TorchFile.Read(good, "good.pth")!).Entries[0].Value!).Array.AsFloat32());
        var bad = Rewrite(good, "archive/data/0", new byte[12]);
        var e = Assert.Throws<TorchFormatException>(() => TorchFile.Read(bad, "short.pth"));
        Assert.Contains("short.pth", e.Message);
        Assert.Contains("storage '0' (FloatStorage, 4 elements) should be 16 bytes but its record is 12", e.Message);
    }

    [Fact]
    public void A_tensor_reaching_past_its_storage_is_refused()
    {
        var storage = PyTuple.Of("storage", new PyGlobal("torch", "FloatStorage"), "0", "cpu", 2L);
        var tensor = new PyObject(new PyGlobal("torch._utils", "_rebuild_tensor_v2"),
            PyTuple.Of(new PyPersistentId(storage), 0L, PyTuple.Of(3L), PyTuple.Of(1L), false, new PyObject(new PyGlobal("collections", "OrderedDict"), PyTuple.Empty)));
        var dict = new PyDict();
        dict.Set("w", tensor);
        var e = Assert.Throws<TorchFormatException>(() => TorchFile.Read(TorchZip(PickleWriter.Serialize(dict), new() { ["archive/data/0"] = new byte[8] }), "over.pth"));
        Assert.Contains("reaches element 2 of a storage of 2", e.Message);
    }

    [Fact]
    public void A_model_of_an_algorithm_not_imported_names_its_policy_class()
    {
        string path = Modified("sb3_ppo_cartpole.zip", "data", data =>
        {
            var json = JsonNode.Parse(data)!;
            json["policy_class"]![":serialized:"] = Convert.ToBase64String(PickleWriter.Serialize(new PyGlobal("stable_baselines3.her", "HerPolicy")));
            return Encoding.UTF8.GetBytes(json.ToJsonString());
        });
        var e = Assert.Throws<ModelFormatException>(() => Sb3Import.Convert(path, Path.Combine(_directory, "out.zip")));
        Assert.Contains(path, e.Message);
        Assert.Contains("policy class stable_baselines3.her.HerPolicy is from an algorithm this build does not import (supported: PPO, A2C, DQN)", e.Message);
        Assert.False(File.Exists(Path.Combine(_directory, "out.zip")));
    }

    [Fact]
    public void A_newer_Stable_Baselines3_format_is_refused()
    {
        string path = Modified("sb3_dqn_cartpole.zip", "_stable_baselines3_version", _ => "3.0.0"u8.ToArray());
        var e = Assert.Throws<ModelFormatException>(() => Sb3Import.Convert(path, Path.Combine(_directory, "out.zip")));
        Assert.Contains("saved by Stable-Baselines3 3.0.0, a newer format than this build reads (up to 2.x)", e.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_saved_architecture_name_the_parameter_and_both_shapes()
    {
        string path = Modified("sb3_dqn_cartpole.zip", "data", data =>
        {
            var json = JsonNode.Parse(data)!;
            json["policy_kwargs"]!["net_arch"] = new JsonArray(16, 8);
            return Encoding.UTF8.GetBytes(json.ToJsonString());
        });
        var e = Assert.Throws<ModelFormatException>(() => Sb3Import.Convert(path, Path.Combine(_directory, "out.zip")));
        Assert.Contains("policy.pth", e.Message);
        Assert.Contains("q_net.q_net.2.weight", e.Message);
        Assert.Contains("[16, 16]", e.Message);
        Assert.Contains("[8, 16]", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_an_SB3_model_says_so()
    {
        string path = Path.Combine(_directory, "notes.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create)) zip.CreateEntry("readme.txt");
        var e = Assert.Throws<ModelFormatException>(() => Sb3Import.Convert(path, Path.Combine(_directory, "out.zip")));
        Assert.Contains("not a Stable-Baselines3 model (no '_stable_baselines3_version'; entries: readme.txt)", e.Message);
    }

    private string Modified(string golden, string entryName, Func<byte[], byte[]> change)
    {
        string path = Path.Combine(_directory, golden);
        File.Copy(GoldenPath(golden), path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(entryName)!;
        byte[] bytes;
        using (var stream = entry.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = change(copy.ToArray());
        }
        entry.Delete();
        using var target = zip.CreateEntry(entryName).Open();
        target.Write(bytes);
        return path;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Concat(byte[] a, ReadOnlySpan<byte> b, byte[] c) => [.. a, .. b, .. c];

    private static byte[] Concat(byte[] a, ReadOnlySpan<byte> b, byte[] c, ReadOnlySpan<byte> d, byte[] e) => [.. a, .. b, .. c, .. d, .. e];

    private static byte[] TorchZip(byte[] pickle, Dictionary<string, byte[]> storages)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] bytes)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
            Add("archive/data.pkl", pickle);
            foreach (var (name, bytes) in storages) Add(name, bytes);
            Add("archive/version", "3\n"u8.ToArray());
        }
        return buffer.ToArray();
    }

    private static byte[] Rewrite(byte[] zipBytes, string entryName, byte[] replacement)
    {
        using var buffer = new MemoryStream();
        buffer.Write(zipBytes);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(entryName)!.Delete();
            using var s = zip.CreateEntry(entryName).Open();
            s.Write(replacement);
        }
        return buffer.ToArray();
    }
}
