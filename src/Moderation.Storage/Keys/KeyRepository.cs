using Dapper;
using Moderation.Storage.Audit;

namespace Moderation.Storage.Keys;

public sealed record ApiKeyRow
{
    public string KeyId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? RevokedAt { get; init; }
}

/// <summary>API keys, stored as SHA-256 hashes only (keys are 256 random bits, so a plain hash is enough).</summary>
public sealed class KeyRepository(Database db)
{
    /// <summary>Stores the key's hash and audits who made it (its name and role, never the key), in one transaction.</summary>
    public Task CreateAsync(string keyId, string name, string role, string keyHash, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO api_keys (key_id, name, role, key_hash, created_at) VALUES (@keyId, @name, @role, @keyHash, @at)",
                new { keyId, name, role, keyHash, at = Database.Time(now) }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(c, tx, now, actor, "key_created", null, null, null, new { keyId, name, role }, ct);
            return true;
        }, ct);

    public async Task<ApiKeyRow?> FindActiveByHashAsync(string keyHash, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition("""
            SELECT key_id AS KeyId, name, role, created_at AS CreatedAt, revoked_at AS RevokedAt
            FROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NULL
            """, new { keyHash }, cancellationToken: ct));
    }

    /// <summary>True when a key with this hash existed and was revoked: lets a 401 say "revoked" rather than "unknown".</summary>
    public async Task<bool> IsRevokedAsync(string keyHash, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NOT NULL", new { keyHash }, cancellationToken: ct)) > 0;
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT key_id AS KeyId, name, role, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys ORDER BY created_at, key_id",
            cancellationToken: ct))).AsList();
    }

    sealed record Revoked(string Name, string Role);

    /// <summary>Revokes an active key and audits it in the same transaction; false when there was no such active key.</summary>
    public Task<bool> RevokeAsync(string keyId, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var revoked = await c.QuerySingleOrDefaultAsync<Revoked>(new CommandDefinition(
                "UPDATE api_keys SET revoked_at = @at WHERE key_id = @keyId AND revoked_at IS NULL RETURNING name, role",
                new { keyId, at = Database.Time(now) }, tx, cancellationToken: ct));
            if (revoked is null) return false;
            await AuditLog.WriteAsync(c, tx, now, actor, "key_revoked", null, null, null, new { keyId, revoked.Name, revoked.Role }, ct);
            return true;
        }, ct);
}
