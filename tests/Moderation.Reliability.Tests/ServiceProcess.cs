using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Moderation.Reliability.Tests;

/// <summary>
/// The real service as a child process: <c>dotnet Moderation.Api.dll</c> (built with this project and
/// copied beside the tests) on a free loopback port, its output captured so a failing test can show it.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly HttpClient http;

    ServiceProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything the service wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>The built service next to this test assembly.</summary>
    public static string ApiDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Moderation.Api.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("Moderation.Api.dll is not beside the tests; build the test project", path);
            return path;
        }
    }

    /// <summary>The dotnet host that runs these tests (so the child uses the same runtime).</summary>
    static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts the service on <paramref name="database"/> with <paramref name="settings"/> as command-line
    /// settings (<c>--Key=value</c>). Does not wait for it: see <see cref="WaitHealthyAsync"/>.
    /// </summary>
    public static ServiceProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var p = port ?? FreePort();
        return Launch(workingDirectory, [ApiDll, "--urls", $"http://127.0.0.1:{p}"], settings, p);
    }

    /// <summary>
    /// Starts the worker-only process (<c>Moderation.Cli worker</c>, no HTTP listener) with <paramref name="settings"/>;
    /// it logs "Moderation worker started" once it runs (<see cref="WaitForOutputAsync"/>).
    /// </summary>
    public static ServiceProcess StartWorker(string workingDirectory, IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Moderation.Cli.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("Moderation.Cli.dll is not beside the tests; build the test project", cli);
        return Launch(workingDirectory, [cli, "worker"], settings, port: 0, environment);
    }

    static ServiceProcess Launch(string workingDirectory, IEnumerable<string> command, IReadOnlyDictionary<string, string> settings, int port,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command) info.ArgumentList.Add(arg);
        // Quiet logs: warnings and the lifetime lines (where it listens), not one line per request.
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        info.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        info.ArgumentList.Add("--Logging:LogLevel:Moderation.Cli=Information");
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS" })
            info.Environment.Remove(inherited);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, port);
        // Always drain both pipes: a child that fills an unread pipe blocks on its next log line.
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        if (!process.Start()) throw new InvalidOperationException("could not start " + info.FileName);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until the process has written <paramref name="text"/>; fails with its output if it exits or the deadline passes.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited) throw new InvalidOperationException($"the process exited with {process.ExitCode} before it wrote '{text}':\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the process did not write '{text}' within {timeout}:\n{Output}");
            await Task.Delay(50);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    /// <summary>SIGTERM, as systemd or Kubernetes stop a service: the process is asked to shut down gracefully.</summary>
    public void Terminate()
    {
        const int SIGTERM = 15;
        if (SendSignal(process.Id, SIGTERM) != 0)
            throw new InvalidOperationException($"kill -TERM {process.Id} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            if (output.Length < 1_000_000) output.AppendLine(line);
        }
    }

    /// <summary>Polls <c>/health</c> until it answers 200; fails with the service's output if it exits or the deadline passes.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the service exited with {process.ExitCode} before it was healthy:\n{Output}");
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var response = await http.GetAsync("/health", cts.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the service was not healthy within {timeout}:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end by itself (e.g. a failed start); kills it at the deadline.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the service did not exit within {timeout}:\n{Output}");
        }
        process.WaitForExit(); // flushes the redirected output
        return process.ExitCode;
    }

    /// <summary>SIGKILL on Unix: no shutdown hooks, no flushing, no graceful end of the running batch.</summary>
    public void Kill()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        http.Dispose();
        process.Dispose();
    }
}
