using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

public sealed class ScorePreviewTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Scores_come_back_in_order_and_nothing_is_stored()
    {
        var client = app.Client();
        var response = await client.PostAsJsonAsync("/api/score", new
        {
            article = new { title = "Council approves bike lanes on Main Street", body = Fixtures.BikeLanes },
            comments = new[] { new { text = "Protected bike lanes will make Main Street safer for cyclists." }, new { text = "What a load of shit" } },
        });
        var results = (await response.Json()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.True(results[1].GetProperty("scores").GetProperty("profanity").GetDouble() > results[0].GetProperty("scores").GetProperty("profanity").GetDouble());
        Assert.Contains(results[1].GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "profanity");
        Assert.Empty((await client.GetJson("/api/audit")).GetProperty("items").EnumerateArray());
    }
}
