using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Api.Tests.Infrastructure;
using Moderation.Storage;

namespace Moderation.Api.Tests;

/// <summary>
/// What the service acknowledged survives a power cut: its connections commit with <c>synchronous=FULL</c> unless
/// <c>Moderation:Storage:Synchronous</c> says <c>Normal</c> (docs/RELIABILITY.md, docs/PERFORMANCE.md "Durability").
/// </summary>
public sealed class DurabilityTests
{
    /// <summary>PRAGMA synchronous on a connection the running service hands out: 2 = FULL, 1 = NORMAL.</summary>
    static async Task<long> SynchronousOf(TestApp app)
    {
        (await app.Client().GetAsync("/health")).EnsureSuccessStatusCode();   // the app is started, migrations ran
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("PRAGMA synchronous");
    }

    [SqliteFact]
    public async Task By_default_every_connection_of_the_service_syncs_each_commit()
    {
        using var app = new TestApp();
        Assert.Equal(2, await SynchronousOf(app));
    }

    [SqliteFact]
    public async Task A_connection_opened_for_leases_does_not_hand_its_weaker_mode_to_the_next_user_of_the_pool()
    {
        using var app = new TestApp();
        (await app.Client().GetAsync("/health")).EnsureSuccessStatusCode();
        var db = app.Services.GetRequiredService<Database>();
        await using (var leases = await db.OpenUnsyncedAsync())
            Assert.Equal(1, await leases.ExecuteScalarAsync<long>("PRAGMA synchronous"));
        Assert.Equal(2, await SynchronousOf(app));
    }

    [SqliteFact]
    public async Task Normal_is_an_option_an_operator_can_choose()
    {
        using var app = new TestApp(new() { ["Moderation:Storage:Synchronous"] = "Normal" });
        Assert.Equal(1, await SynchronousOf(app));
    }

    [Fact]
    public void An_unknown_synchronous_setting_stops_the_service_at_start()
    {
        using var app = new TestApp(new() { ["Moderation:Storage:Synchronous"] = "Off" });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Synchronous", error.ToString());
    }
}
