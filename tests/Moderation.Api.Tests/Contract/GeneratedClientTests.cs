using Moderation.Api.Tests.Client;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Contract;

/// <summary>
/// The five-minute tour of README through a C# client generated from the OpenAPI document at build time (NSwag,
/// Moderation.Api.Tests.csproj): article, comments, scores, queue, reports, decision, audit, against the real service.
/// A document that says the wrong shape or status breaks this test (or the build).
/// </summary>
public sealed class GeneratedClientTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    ModerationClient Client(string? key = TestApp.AdminKey) => new(app.Client(key));

    async Task<CommentDetails> Scored(ModerationClient client, string commentId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var comment = await client.GetCommentAsync(commentId);
            if (comment.Status != "received") return comment;
            Assert.True(DateTime.UtcNow < deadline, $"{commentId} was not scored in time");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task The_readme_tour_runs_through_the_generated_client()
    {
        var client = Client();
        var ingest = Client(await app.KeyFor("ingest"));
        var article = await ingest.PutArticleAsync("bike-lanes", new ArticleRequest { Title = "Council approves bike lanes on Main Street", Body = Fixtures.BikeLanes });
        Assert.Equal(1, article.Version);

        foreach (var (id, text, author) in new[]
        {
            ("c1", "Finally! Protected lanes on Main Street will make my commute so much safer.", "dana-17"),
            ("c2", "What a f*cking waste of money, the council are a bunch of sh1t clowns.", "rob-42"),
        })
            Assert.Equal(id, (await ingest.IngestCommentAsync("bike-lanes", new CommentRequest { CommentId = id, Text = text, AuthorId = author })).CommentId);

        var c2 = await Scored(client, "c2");
        Assert.Contains(c2.Reasons, r => r.Code == "profanity" && r.Spans!.Any(s => s.Term == "fucking"));
        Assert.True(c2.Scores!.Profanity > 0.9);
        Assert.Equal("published", (await Scored(client, "c1")).Status);

        var queue = await client.ListQueueAsync("pending", null, null, "priority", null, null);
        var item = Assert.Single(queue.Items);
        Assert.Equal("c2", item.CommentId);
        Assert.Equal("profanity", Assert.Single(item.Reasons).Code);

        var reader = Client(key: null);
        foreach (var r in new[] { "reader-1", "reader-2", "reader-3" })
            Assert.True((await reader.ReportCommentAsync("c1", new ReportRequest { Reason = "spam", ReporterId = r })).Counted);
        Assert.Equal(3, (await client.GetCommentAsync("c1")).Reports.Count);
        Assert.True((await reader.GetVisibilityAsync("c1")).Visible);

        var decided = await client.DecideAsync("c2", new DecisionRequest { Action = "reject", ReasonCode = "offensive", Note = "insults" });
        Assert.Equal("rejected", decided.Status);
        var conflict = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.DecideAsync("c2", new DecisionRequest { Action = "approve" }));
        Assert.Equal(409, conflict.StatusCode);
        Assert.Contains("already decided", conflict.Result.Detail);

        var audit = await client.ListAuditAsync("10", null, null);
        Assert.Contains(audit.Items, e => e.Action == "reject" && e.CommentId == "c2");
        Assert.Equal(1, (await client.GetAuthorAsync("rob-42")).Rejected);
    }

    [Fact]
    public async Task Refusals_arrive_as_the_problem_details_the_document_declares()
    {
        var missing = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => Client(key: null).ListQueueAsync(null, null, null, null, null, null));
        Assert.Equal(401, missing.StatusCode);
        Assert.Contains("Authorization: Bearer", missing.Result.Detail);

        var invalid = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => Client().CreateKeyAsync(new CreateKeyRequest { Name = "x", Role = "root" }));
        Assert.Equal(400, invalid.StatusCode);
        Assert.True(invalid.Result.Errors!.ContainsKey("role"));
    }
}
