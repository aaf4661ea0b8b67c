using Moderation.Storage;
using Npgsql;

namespace Moderation.Tests;

/// <summary>
/// The engine the storage, HTTP and worker suites run on. By default every test gets its own SQLite file. With
/// <c>MODERATION_TEST_PROVIDER=postgres</c> every test gets its own fresh database on the PostgreSQL server that
/// <c>MODERATION_TEST_POSTGRES</c> names (a login that may CREATE DATABASE; scripts/postgres-local.sh starts one and
/// prints it), dropped when the test ends. <c>.ci/run</c> runs the suites both ways.
/// </summary>
public static class TestStores
{
    /// <summary>The PostgreSQL server for tests, or null when none was given.</summary>
    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable("MODERATION_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>True when the suites run on PostgreSQL (and the server is given: asking for it without one fails loudly).</summary>
    public static bool OnPostgres
    {
        get
        {
            if (!string.Equals(Environment.GetEnvironmentVariable("MODERATION_TEST_PROVIDER"), "postgres", StringComparison.OrdinalIgnoreCase)) return false;
            return PostgresServer is not null
                ? true
                : throw new InvalidOperationException("MODERATION_TEST_PROVIDER=postgres needs MODERATION_TEST_POSTGRES (scripts/postgres-local.sh start DIR prints it)");
        }
    }

    /// <summary>Creates an empty database on the test server; returns its connection string.</summary>
    public static string NewPostgresDatabase()
    {
        var server = PostgresServer ?? throw new InvalidOperationException("MODERATION_TEST_POSTGRES is not set");
        var name = "t_" + Guid.NewGuid().ToString("N");
        using (var c = new NpgsqlConnection(server))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database <see cref="NewPostgresDatabase"/> made (its connections are closed by force).</summary>
    public static void DropPostgresDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (name is null || !name.StartsWith("t_", StringComparison.Ordinal)) return;
        NpgsqlConnection.ClearAllPools();
        using var c = new NpgsqlConnection(PostgresServer);
        c.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
        cmd.ExecuteNonQuery();
    }

    /// <summary>A new store for one test: a file in <paramref name="folder"/>, or a fresh PostgreSQL database (whose key files live in the folder).</summary>
    public static Database NewDatabase(string folder) => OnPostgres
        ? Database.ForPostgres(NewPostgresDatabase(), Path.Combine(folder, "moderation.db"))
        : new Database(Path.Combine(folder, "moderation.db"));

    /// <summary>A new <see cref="Database"/> over the same store (a restarted process).</summary>
    public static Database Reopen(Database db) => db.IsPostgres ? Database.ForPostgres(db.Identity, db.Path) : new Database(db.Path);

    /// <summary>Drops the PostgreSQL database behind <paramref name="db"/>; nothing for SQLite (the folder goes with the test).</summary>
    public static void Drop(Database db)
    {
        if (db.IsPostgres) DropPostgresDatabase(db.Identity);
    }

    /// <summary>The service's configuration for a fresh store: the SQLite path always (its folder holds the key files), and the server when on PostgreSQL.</summary>
    public static Dictionary<string, string?> ServiceSettings(string folder)
    {
        var settings = new Dictionary<string, string?> { ["Moderation:Database"] = Path.Combine(folder, "moderation.db") };
        if (OnPostgres)
        {
            settings["Moderation:Storage:Provider"] = "postgres";
            settings["ConnectionStrings:Moderation"] = NewPostgresDatabase();
        }
        return settings;
    }

    /// <summary>Drops what <see cref="ServiceSettings"/> made on the server, if anything.</summary>
    public static void DropService(IReadOnlyDictionary<string, string?> settings)
    {
        if (settings.TryGetValue("ConnectionStrings:Moderation", out var cs) && cs is not null && OnPostgres) DropPostgresDatabase(cs);
    }
}

/// <summary>A test of SQLite's own file, log or locking behaviour: skipped when the suites run on PostgreSQL.</summary>
public sealed class SqliteFactAttribute : Xunit.FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestStores.OnPostgres) Skip = "SQLite only (the suites run on PostgreSQL)";
    }
}

/// <summary>A theory about SQLite's own file, log or locking behaviour: skipped when the suites run on PostgreSQL.</summary>
public sealed class SqliteTheoryAttribute : Xunit.TheoryAttribute
{
    public SqliteTheoryAttribute()
    {
        if (TestStores.OnPostgres) Skip = "SQLite only (the suites run on PostgreSQL)";
    }
}

/// <summary>What the service does only on PostgreSQL (say, answer for something SQLite-only): runs only when the suites run on it.</summary>
public sealed class PostgresOnlyFactAttribute : Xunit.FactAttribute
{
    public PostgresOnlyFactAttribute()
    {
        if (!TestStores.OnPostgres) Skip = "PostgreSQL only (MODERATION_TEST_PROVIDER=postgres)";
    }
}

/// <summary>A test that needs a PostgreSQL server: skipped, with this reason, when MODERATION_TEST_POSTGRES is not set (.ci/run sets it).</summary>
public sealed class PostgresFactAttribute : Xunit.FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestStores.PostgresServer is null) Skip = "needs a PostgreSQL server: MODERATION_TEST_POSTGRES (scripts/postgres-local.sh)";
    }
}
