using System.Security.Cryptography;
using Dapper;

namespace Moderation.Storage;

/// <summary>Per-installation values kept in the database.</summary>
public sealed class Meta(Database db)
{
    /// <summary>A random secret made once per database and kept; used to salt hashes of client addresses.</summary>
    public async Task<string> InstanceSecretAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO meta (key, value) VALUES ('instance_secret', @value) ON CONFLICT DO NOTHING",
            new { value = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) }, cancellationToken: ct));
        return await c.QuerySingleAsync<string>(new CommandDefinition("SELECT value FROM meta WHERE key = 'instance_secret'", cancellationToken: ct));
    }
}
