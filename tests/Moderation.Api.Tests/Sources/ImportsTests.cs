using System.Net;
using System.Text;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Sources;

public sealed class ImportsTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Limits:MaxBodyBytes"] = "4096", ["Moderation:Relevance:Embeddings"] = "false" });
    public void Dispose() => app.Dispose();

    static StringContent Ndjson(int comments)
    {
        var text = new StringBuilder("""{"type":"article","articleId":"a1","title":"Bike lanes","body":"The council voted for bike lanes on Main Street."}""" + "\n");
        for (var i = 1; i <= comments; i++) text.Append($$"""{"articleId":"a1","commentId":"c{{i}}","text":"Bike lanes comment number {{i}}"}""").Append('\n');
        return new StringContent(text.ToString(), Encoding.UTF8, "application/x-ndjson");
    }

    [Fact]
    public async Task An_admin_backfills_from_a_file_larger_than_the_body_limit_and_importing_it_again_adds_nothing()
    {
        var client = app.Client();

        var first = await client.PostAsync("/api/imports/ndjson", Ndjson(200));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var report = await first.Json();
        Assert.Equal(1, report.GetProperty("articlesCreated").GetInt32());
        Assert.Equal(200, report.GetProperty("commentsCreated").GetInt32());
        Assert.Equal(0, report.GetProperty("errors").GetInt32());
        await client.WaitScored("c200");

        var again = await (await client.PostAsync("/api/imports/ndjson", Ndjson(200))).Json();
        Assert.Equal(0, again.GetProperty("commentsCreated").GetInt32());
        Assert.Equal(200, again.GetProperty("commentsUnchanged").GetInt32());
    }

    [Fact]
    public async Task Other_endpoints_keep_their_body_limit()
    {
        var big = new StringContent("{\"title\":\"t\",\"body\":\"" + new string('x', 5000) + "\"}", Encoding.UTF8, "application/json");
        var response = await app.Client().PutAsync("/api/articles/a1", big);
        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_format_is_a_validation_problem_and_imports_are_for_admins_only()
    {
        await (await app.Client().PostAsync("/api/imports/csv", Ndjson(1))).AssertProblem(HttpStatusCode.BadRequest);
        var moderator = app.Client(await app.KeyFor("moderator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsync("/api/imports/ndjson", Ndjson(1))).StatusCode);
    }
}
