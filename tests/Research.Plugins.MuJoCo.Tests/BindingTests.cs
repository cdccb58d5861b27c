using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Research.Plugins.MuJoCo.Native;

namespace Research.Plugins.MuJoCo.Tests;

/// <summary>The native boundary: offsets against the installed headers, the version check, loading errors and MuJoCo's callbacks.</summary>
public sealed class BindingTests
{
    [Fact]
    public void Offsets_are_what_the_C_compiler_makes_of_the_installed_headers()
    {
        string plugin = Path.GetDirectoryName(typeof(MjLayout).Assembly.Location)!;
        string source = Path.Combine(plugin, "Native", "layout.c");
        using var work = new TempFolder();
        string program = Path.Combine(work.Path, "layout");
        var (compileStatus, compileOutput) = Run("cc", $"-std=c11 -o \"{program}\" \"{source}\"");
        Assert.True(compileStatus == 0,
            $"compiling Native/layout.c against the MuJoCo headers failed (needs gcc and libmujoco-dev, installed by .ci/setup.d/20-mujoco.sh): {compileOutput}");
        var (status, generated) = Run(program, "");
        Assert.Equal(0, status);
        string committed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MjLayout.g.cs"));
        Assert.True(committed.ReplaceLineEndings("\n") == generated.ReplaceLineEndings("\n"),
            "Native/MjLayout.g.cs differs from what Native/layout.c prints against the installed headers; run tools/mujoco/generate-layout.sh.");
    }

    [Fact]
    public void The_installed_library_is_the_version_the_offsets_were_made_for()
    {
        Assert.Null(MuJoCoLibrary.Problem);
        unsafe
        {
            Assert.Equal(MjLayout.Version, MjApi.Version());
        }
        Assert.Null(MuJoCoLibrary.VersionProblem(MjLayout.Version, "libmujoco.so.2.2.2"));
    }

    [Fact]
    public void A_library_of_another_version_is_refused_naming_both_versions()
    {
        using var work = new TempFolder();
        string fake = Path.Combine(work.Path, "libmujoco.so.2.2.2");
        File.WriteAllText(Path.Combine(work.Path, "fake.c"), "int mj_version(void) { return 310; }\n");
        var (status, output) = Run("cc", $"-shared -fPIC -o \"{fake}\" \"{Path.Combine(work.Path, "fake.c")}\"");
        Assert.True(status == 0, output);
        string? problem = MuJoCoLibrary.Inspect(MuJoCoLibrary.Candidates(work.Path));
        Assert.NotNull(problem);
        Assert.Contains("3.1.0", problem);
        Assert.Contains("mj_version() = 310", problem);
        Assert.Contains("2.2.2", problem);
        Assert.Contains(MuJoCoLibrary.PathVariable, problem);
    }

    [Fact]
    public void A_missing_library_is_reported_with_how_to_install_it()
    {
        using var work = new TempFolder();
        string? problem = MuJoCoLibrary.Inspect(MuJoCoLibrary.Candidates(work.Path));
        Assert.NotNull(problem);
        Assert.Contains("libmujoco.so.2.2.2", problem);
        Assert.Contains("was not found", problem);
        Assert.Contains("apt-get install libmujoco2.2.2", problem);
    }

    [Fact]
    public void MUJOCO_PATH_may_name_the_library_file_itself()
    {
        using var work = new TempFolder();
        string file = Path.Combine(work.Path, "custom.so");
        File.WriteAllText(file, "");
        Assert.Equal([file], MuJoCoLibrary.Candidates(file));
        Assert.Equal([Path.Combine(work.Path, "libmujoco.so.2.2.2")], MuJoCoLibrary.Candidates(work.Path));
        Assert.Equal(["libmujoco.so.2.2.2"], MuJoCoLibrary.Candidates(null));
    }

    [Fact]
    public void A_model_MuJoCo_rejects_throws_naming_the_file_and_MuJoCo_s_reason()
    {
        using var work = new TempFolder();
        string file = Path.Combine(work.Path, "broken.xml");
        File.WriteAllText(file, "<mujoco><worldbody><body><geom type=\"sphere\" size=\"oops\"/></body></worldbody></mujoco>");
        var error = Assert.Throws<MuJoCoException>(() => MjModel.Load(file));
        Assert.Contains(file, error.Message);
        Assert.Contains("could not load the model", error.Message);
        Assert.Contains("size", error.Message);
    }

    [Fact]
    public void A_missing_model_file_throws_naming_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MjModel.Load("/nonexistent/ant.xml"));
        Assert.Contains("/nonexistent/ant.xml", error.Message);
        var env = Assert.Throws<FileNotFoundException>(() => new AntEnv(new AntOptions { XmlFile = "./no-such-ant.xml" }));
        Assert.Contains("no-such-ant.xml", env.Message);
    }

    [Fact]
    public void MuJoCo_s_error_callback_reports_the_model_being_simulated()
    {
        var recorded = new List<string>();
        var previous = MjMessages.Fatal;
        MjMessages.Fatal = recorded.Add;
        try
        {
            using var scope = new MjMessages.ModelScope("/models/hopper.xml");
            // mju_error hands the text to the installed callback; with a recorder in place of FailFast it returns here.
            unsafe
            {
                fixed (byte* text = "stack overflow in a test\0"u8) MjApi.Error(text);
            }
        }
        finally
        {
            MjMessages.Fatal = previous;
        }
        var message = Assert.Single(recorded);
        Assert.Contains("MuJoCo error (/models/hopper.xml): stack overflow in a test", message);
        Assert.Contains("process ends", message);
    }

    [Fact]
    public void Simulation_warnings_name_the_model_file_instead_of_writing_MUJOCO_LOG()
    {
        var recorded = new List<string>();
        var previous = MjMessages.Report;
        MjMessages.Report = recorded.Add;
        try
        {
            using var env = new HopperEnv();
            env.Reset(seed: 0);
            env.Data.Qvel[3] = 1e20;   // MuJoCo resets a simulation that blows up, with a warning
            env.Data.Step();
            Assert.True(Enumerable.Range(0, MjLayout.Data.WarningCount).Sum(env.Data.WarningCount) > 0);
        }
        finally
        {
            MjMessages.Report = previous;
        }
        var message = Assert.Single(recorded);
        Assert.StartsWith("warning: MuJoCo (", message);
        Assert.Contains("hopper.xml", message);
        Assert.False(File.Exists("MUJOCO_LOG.TXT"));
    }

    [Fact]
    public void Copied_data_and_a_restored_integration_state_step_bit_for_bit_alike()
    {
        using var model = MjModel.Load(MuJoCoEnv.ResolveModelPath("ant.xml"));
        using var data = new MjData(model);
        using var copy = new MjData(model);
        using var restored = new MjData(model);
        data.Ctrl.Fill(0.3);
        data.Step(10);
        copy.CopyFrom(data);
        var state = new double[data.IntegrationStateSize];
        data.CopyIntegrationState(state);
        restored.SetIntegrationState(state);
        data.Step(50);
        copy.Step(50);
        restored.Step(50);
        MuJoCoEnvs.Same(data.Qpos, copy.Qpos, "qpos after mj_copyData");
        MuJoCoEnvs.Same(data.Qpos, restored.Qpos, "qpos after the integration state");
        MuJoCoEnvs.Same(data.Qvel, restored.Qvel, "qvel after the integration state");
        using var other = MjModel.Load(MuJoCoEnv.ResolveModelPath("hopper.xml"));
        using var foreign = new MjData(other);
        Assert.Throws<ArgumentException>(() => copy.CopyFrom(foreign));
    }

    [Fact]
    public void Disposed_simulations_refuse_use()
    {
        var model = MjModel.Load(MuJoCoEnv.ResolveModelPath("reacher.xml"));
        var data = new MjData(model);
        data.Dispose();
        Assert.Throws<ObjectDisposedException>(() => data.Step());
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.IdOf(MjObject.Body, "target"));
    }

    [Fact]
    public void Shipped_model_files_are_Gymnasium_0_29_1_s_unchanged()
    {
        var expected = new Dictionary<string, string>
        {
            ["ant.xml"] = "cd5f83ef0ea35b0969e65d360c5bacd5b74ccaef6b27e4433b5168c605e3e2be",
            ["half_cheetah.xml"] = "11797a5d69e8ac955e89ca6fdd3a0087f1c990094fda401ac51420de1b6c5494",
            ["hopper.xml"] = "3ce93a055ffdcd83c0c701d2400768e40d2cbb9532f3c4ae33377c27f8b39f9e",
            ["humanoid.xml"] = "85816f372c826d2094b4a598918233bd9c5843b2439119eece2733bdc2e0d073",
            ["humanoidstandup.xml"] = "9f72a3c4ef956d0d8b1fb555a6ae1a5c22334c5c58cf814ef987ea4d3880e8fc",
            ["inverted_double_pendulum.xml"] = "2b4eadf03bd79a8772abd4c1a626b5755747f841801a694ea9528cc49211ba46",
            ["inverted_pendulum.xml"] = "80910a9af85cd47072be82d6f92c5e6a115d0eecc3eb464e58542b285c89fb7f",
            ["pusher.xml"] = "561fb1a4f254afbbcdaf44b980aeaeb1a77ed67773f5f4d1653ecf2e1457dff5",
            ["reacher.xml"] = "3fabc64fc738326485a8231a9a649f784090a0c3d8215f8d2ccd6038b8e60cc4",
            ["swimmer.xml"] = "8b9baf0041aa0665b62ddcdcdd332df9f974549cd2a17d8a132ec7098a9c3fbb",
            ["walker2d.xml"] = "ac13373c7ac9003a5311c4704b314ed11149b3dd7600bbc02770487300f9ad2d",
        };
        foreach (var (file, hash) in expected)
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(MuJoCoEnv.AssetsFolder, file)))));
        Assert.Contains("MIT License", File.ReadAllText(Path.Combine(MuJoCoEnv.AssetsFolder, "LICENSE")));
    }

    private static (int Status, string Output) Run(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}

/// <summary>A unique temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mujoco-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
