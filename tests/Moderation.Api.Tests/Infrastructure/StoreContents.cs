using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Storage;

namespace Moderation.Api.Tests.Infrastructure;

/// <summary>
/// Every table of an app's store with its rows as text, on SQLite or PostgreSQL: for tests that check what is stored
/// (or no longer stored) anywhere, not only where the API looks.
/// </summary>
public static class StoreContents
{
    /// <summary>Table name → its rows, each row its values joined (byte arrays as hex and as UTF-8), rows sorted.</summary>
    public static async Task<SortedDictionary<string, List<string>>> ReadAsync(TestApp app)
    {
        var db = app.Services.GetRequiredService<Database>();
        await using var c = await db.OpenAsync();
        var tables = (await c.QueryAsync<string>(db.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'")).ToList();
        var contents = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = c.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++) row.Append(Text(reader.IsDBNull(i) ? null : reader.GetValue(i))).Append('\u0001');
                rows.Add(row.ToString());
            }
            // Row order is the engine's business (PostgreSQL moves updated rows): compare the set.
            rows.Sort(StringComparer.Ordinal);
            contents[table] = rows;
        }
        return contents;
    }

    /// <summary>Which of <paramref name="needles"/> occur in any row of any table.</summary>
    public static async Task<List<string>> FoundInTablesAsync(TestApp app, params string[] needles)
    {
        var all = string.Join('\n', (await ReadAsync(app)).Values.SelectMany(rows => rows));
        return needles.Where(n => all.Contains(n, StringComparison.Ordinal)).ToList();
    }

    static string Text(object? value) => value switch
    {
        null => "\u0000null",
        byte[] bytes => Convert.ToHexString(bytes) + "\u0002" + Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
