using System.Runtime.InteropServices;
using System.Text;
using Dapper;
using Moderation.Tests;
using Npgsql;

namespace Moderation.Reliability.Tests;

/// <summary>
/// Several real service processes on one fresh PostgreSQL database (on <see cref="TestStores.PostgresServer"/>), each
/// with its own data folder (key files) and port, as replicas are deployed. Reads the database directly, as an auditor
/// would. Disposing kills every process and drops the database.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string AdminKey = "scale-out-admin-key-0123456789";

    readonly TempFolder folder = new();
    readonly List<ServiceProcess> processes = [];

    // Error details in the replicas' logs: a failing test shows which row and constraint, not "Detail redacted".
    public PostgresCluster() =>
        ConnectionString = new NpgsqlConnectionStringBuilder(TestStores.NewPostgresDatabase()) { IncludeErrorDetail = true }.ConnectionString;

    public string ConnectionString { get; }

    public IReadOnlyList<ServiceProcess> Processes => processes;

    /// <summary>The settings every replica shares (no relevance embeddings: the tests are about storage, not scoring).</summary>
    public Dictionary<string, string> Settings(string name) => new()
    {
        ["Moderation:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Moderation"] = ConnectionString,
        ["Moderation:Database"] = Path.Combine(folder.Path, name, "moderation.db"),
        ["Moderation:Auth:AdminKey"] = AdminKey,
        ["Moderation:Relevance:Embeddings"] = "false",
        ["Moderation:Reports:PerMinute"] = "100000",
        // Replicas must hash a reader's address alike, or one reader reporting through two of them counts twice: without
        // this each would make its own pseudonym.key in its own folder (Api/Pseudonyms/PseudonymKey.cs).
        ["Moderation:Pseudonyms:Secret"] = "scale-out-pseudonym-secret-0123456789abcdef",
    };

    /// <summary>Starts a replica named <paramref name="name"/> with the shared settings plus <paramref name="overrides"/>; does not wait for it.</summary>
    public ServiceProcess Start(string name, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = Settings(name);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) settings[key] = value;
        Directory.CreateDirectory(Path.Combine(folder.Path, name));
        var process = ServiceProcess.Start(folder.Path, settings);
        processes.Add(process);
        return process;
    }

    /// <summary>Every replica's output, headed by its port, for failure messages.</summary>
    public string Output()
    {
        var all = new StringBuilder();
        foreach (var p in processes)
            all.AppendLine($"--- replica on port {p.Port} (pid {p.ProcessId}{(p.HasExited ? $", exited {p.ExitCode}" : "")}) ---").AppendLine(p.Output);
        return all.ToString();
    }

    public NpgsqlConnection Open()
    {
        var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        return c;
    }

    public long Scalar(string sql, object? args = null)
    {
        using var c = Open();
        return c.ExecuteScalar<long>(sql, args);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; at the deadline fails with <paramref name="what"/> and every replica's output.</summary>
    public async Task WaitUntil(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout} waiting until {what}\n{Output()}");
            await Task.Delay(50);
        }
    }

    /// <summary>The lease owner the worker in <paramref name="process"/> writes is "machine:pid:guid" (BatchProcessor.Owner).</summary>
    public static string LeaseOwnerPattern(ServiceProcess process) => $"%:{process.ProcessId}:%";

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    /// <summary>SIGSTOP: the process is frozen (its leases and open transactions stay as they are) until <see cref="Resume"/> or a SIGKILL.</summary>
    public static void Freeze(ServiceProcess process) => Signal(process, OperatingSystem.IsMacOS() ? 17 : 19);

    public static void Resume(ServiceProcess process) => Signal(process, OperatingSystem.IsMacOS() ? 19 : 18);

    static void Signal(ServiceProcess process, int signal)
    {
        if (kill(process.ProcessId, signal) != 0) throw new InvalidOperationException($"kill({process.ProcessId}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
    }

    public void Dispose()
    {
        foreach (var p in processes) p.Dispose();
        try { TestStores.DropPostgresDatabase(ConnectionString); }
        finally { folder.Dispose(); }
    }
}
