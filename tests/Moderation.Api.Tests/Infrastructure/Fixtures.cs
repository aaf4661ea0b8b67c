using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Moderation.Api.Tests.Infrastructure;

/// <summary>Small builders for what the site's comment system sends, and waits for what the worker does.</summary>
public static class Fixtures
{
    public const string BikeLanes = "The city council voted 7-2 on Tuesday to build protected bike lanes along Main Street. " +
        "Cyclists welcomed the decision, while some shop owners worry about losing parking spaces in front of their stores. " +
        "Construction of the lanes starts in March and the council expects the work to take four months.";

    public static async Task PutArticle(this HttpClient client, string articleId, string title = "Council approves bike lanes on Main Street", string body = BikeLanes)
    {
        var response = await client.PutAsJsonAsync($"/api/articles/{articleId}", new { title, body });
        Assert.True(response.IsSuccessStatusCode, $"PUT article: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> PostComment(this HttpClient client, string articleId, string commentId, string text, string? parentId = null) =>
        client.PostAsJsonAsync($"/api/articles/{articleId}/comments", new { commentId, text, parentId, authorName = "Reader" });

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> GetJson(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    /// <summary>Waits until the worker has moved the comment out of 'received' and returns it.</summary>
    public static async Task<JsonElement> WaitScored(this HttpClient client, string commentId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var comment = await client.GetJson($"/api/comments/{Uri.EscapeDataString(commentId)}");
            if (comment.GetProperty("status").GetString() != "received") return comment;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"comment {commentId} was not scored in time");
            await Task.Delay(25);
        }
    }

    /// <summary>Waits until a pull source's comment has been polled (it may not exist yet: 404 is waited out) and scored.</summary>
    public static Task WaitPolledAndScored(this HttpClient client, string commentId) => Eventually(async () =>
    {
        var response = await client.GetAsync($"/api/comments/{Uri.EscapeDataString(commentId)}");
        return response.StatusCode == HttpStatusCode.OK && (await response.Json()).GetProperty("status").GetString() != "received";
    }, $"comment {commentId} to be polled and scored");

    /// <summary>Polls <paramref name="condition"/> until it holds; a <see cref="TimeoutException"/> says what never happened.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("waited in vain for " + what);
            await Task.Delay(25);
        }
    }

    public static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    public static async Task AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }
}
