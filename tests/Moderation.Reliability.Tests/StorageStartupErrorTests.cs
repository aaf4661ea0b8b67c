using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Storage;
using Moderation.Tests;
using Npgsql;

namespace Moderation.Reliability.Tests;

/// <summary>
/// A storage configuration the service cannot use stops it at start with exit code 1 and one line, "Moderation service
/// cannot start: …", naming the problem: an unknown provider, an unreachable server, a refused password, a database a
/// newer build migrated. Not a stack trace, and not a service that runs and fails on the first request.
/// </summary>
public sealed class StorageStartupErrorTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    const string Prefix = "Moderation service cannot start:";

    readonly TempFolder folder = new();
    readonly List<string> databases = [];

    public void Dispose()
    {
        foreach (var cs in databases) TestStores.DropPostgresDatabase(cs);
        folder.Dispose();
    }

    string DatabaseFile => folder.File("moderation.db");

    async Task<string> StartFailing(Dictionary<string, string> settings)
    {
        settings.TryAdd("Moderation:Database", DatabaseFile);
        settings["Moderation:Auth:AdminKey"] = "startup-admin-key-0123456789";
        settings["Moderation:Relevance:Embeddings"] = "false";
        using var service = ServiceProcess.Start(folder.Path, settings);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var output = service.Output;
        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1:\n{output}");
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines, l => l.StartsWith(Prefix, StringComparison.Ordinal));
        // One line for the operator, not a crash dump.
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
        log.WriteLine(line);
        return line;
    }

    static Dictionary<string, string> Postgres(string connectionString) => new()
    {
        ["Moderation:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Moderation"] = connectionString,
    };

    [Fact]
    public async Task An_unknown_provider_is_named_with_the_ones_there_are()
    {
        var line = await StartFailing(new() { ["Moderation:Storage:Provider"] = "oracle" });
        Assert.Contains("Moderation:Storage:Provider is 'oracle'", line);
        Assert.Contains("sqlite or postgres", line);
    }

    [Fact]
    public async Task A_sqlite_file_of_a_newer_schema_is_refused_with_its_version()
    {
        var db = new Moderation.Storage.Database(DatabaseFile);
        await using (db)
        {
            await new Migrator(db).MigrateAsync();
        }
        using (var c = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False"))
            c.Execute("INSERT INTO schema_migrations (version, applied_at) VALUES ('999_future', '2030-01-01T00:00:00.000Z')");
        var line = await StartFailing([]);
        Assert.Contains("999_future", line);
        Assert.Contains("newer", line);
    }

    [PostgresFact]
    public async Task An_unreachable_server_is_named_with_the_setting_to_check()
    {
        var closed = new NpgsqlConnectionStringBuilder(TestStores.PostgresServer) { Port = ServiceProcess.FreePort(), Timeout = 5 };
        var line = await StartFailing(Postgres(closed.ConnectionString));
        Assert.Contains($"127.0.0.1:{closed.Port}", line);
        Assert.Contains("ConnectionStrings:Moderation", line);
    }

    [PostgresFact]
    public async Task A_wrong_password_is_named_as_a_refused_login()
    {
        var wrong = new NpgsqlConnectionStringBuilder(TestStores.PostgresServer) { Password = "not-the-password" };
        var line = await StartFailing(Postgres(wrong.ConnectionString));
        Assert.Contains("refused the login", line);
        Assert.Contains("password", line);
        Assert.DoesNotContain("not-the-password", line);
    }

    [PostgresFact]
    public async Task A_postgres_database_of_a_newer_schema_is_refused_with_its_version()
    {
        var cs = TestStores.NewPostgresDatabase();
        databases.Add(cs);
        await using (var db = Moderation.Storage.Database.ForPostgres(cs, DatabaseFile))
        {
            await new Migrator(db).MigrateAsync();
        }
        using (var c = new NpgsqlConnection(cs))
            c.Execute("INSERT INTO schema_migrations (version, applied_at) VALUES ('999_future', '2030-01-01T00:00:00.000Z')");
        var line = await StartFailing(Postgres(cs));
        Assert.Contains("999_future", line);
        Assert.Contains("newer", line);
        Assert.Contains(new NpgsqlConnectionStringBuilder(cs).Database!, line);
    }
}
