using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Moderation.Api.Hosting;
using Moderation.Storage;

namespace Moderation.Api.Pseudonyms;

/// <summary>Bound from <c>Moderation:Pseudonyms</c>.</summary>
public sealed class PseudonymOptions
{
    public const string Section = "Moderation:Pseudonyms";

    /// <summary>The secret itself (e.g. from a secret store); then no key file is written and it never rotates. Unset: <c>pseudonym.key</c>.</summary>
    public string? Secret { get; set; }

    /// <summary>How long one secret hashes client addresses before the key file gets a new one. Unset: never.</summary>
    public TimeSpan? RotateEvery { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// The secret that turns a reader's client address into a pseudonym (an HMAC), kept out of the database file so a copy
/// of the database alone (a backup, a stolen disk image) cannot test guessed addresses against its hashes
/// (docs/OPERATIONS.md, "Pseudonyms"). It lives in <c>pseudonym.key</c> beside the database, owner-only: a line with
/// when it was made, a line with the secret. When it is older than <see cref="PseudonymOptions.RotateEvery"/> a new
/// one replaces it (written beside and renamed over, so a reader never sees half a file); from then on the same reader
/// gets a new pseudonym, which only means reports from before and after are not recognised as one reader's.
/// </summary>
public sealed class PseudonymKey(IOptions<PseudonymOptions> options, IOptions<Moderation.Storage.StorageOptions> storage, TimeProvider time)
{
    public const string FileName = "pseudonym.key";
    readonly SemaphoreSlim gate = new(1, 1);
    (string Secret, DateTimeOffset RotateAt)? current;

    public string KeyFile => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.Value.DatabasePath))!, FileName);

    public async Task<string> CurrentAsync(CancellationToken ct)
    {
        if (options.Value.Secret is { Length: > 0 } configured) return configured;
        var now = time.GetUtcNow();
        if (current is { } c && now < c.RotateAt) return c.Secret;
        await gate.WaitAsync(ct);
        try
        {
            if (current is { } again && now < again.RotateAt) return again.Secret;
            // Another process on the same database may have rotated it already: read before making a new one.
            var (secret, made) = Read() ?? Write(now);
            if (now >= Due(made)) (secret, made) = Write(now);
            current = (secret, Due(made));
            return secret;
        }
        finally { gate.Release(); }
    }

    DateTimeOffset Due(DateTimeOffset made) => options.Value.RotateEvery is { } every ? made + every : DateTimeOffset.MaxValue;

    (string, DateTimeOffset)? Read()
    {
        if (!File.Exists(KeyFile)) return null;
        OwnerOnly.Restrict(KeyFile);
        var lines = File.ReadAllLines(KeyFile);
        return lines.Length >= 2 && DateTimeOffset.TryParse(lines[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var made)
            && lines[1].Length >= 32 ? (lines[1], made) : null;
    }

    (string, DateTimeOffset) Write(DateTimeOffset now)
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var temp = KeyFile + ".new";
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = OwnerOnly.File;
        using (var writer = new StreamWriter(temp, file)) writer.Write($"{Database.Time(now)}\n{secret}\n");
        OwnerOnly.Restrict(temp);
        File.Move(temp, KeyFile, overwrite: true);
        return (secret, now);
    }
}
