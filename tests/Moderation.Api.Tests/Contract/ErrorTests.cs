using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Contract;

/// <summary>Every 4xx says what to fix (issue 19): where JSON broke, which content type, why a key was refused, which role.</summary>
public sealed class ErrorTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    const string Secret = "do-not-echo-this-text";

    static async Task<string> Detail(HttpResponseMessage response, HttpStatusCode status)
    {
        await response.AssertProblem(status);
        var detail = (await response.Json()).GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    async Task<string> PostComment(string body, string contentType = "application/json")
    {
        var client = app.Client();
        await client.PutArticle("a1");
        var response = await client.PostAsync("/api/articles/a1/comments", new StringContent(body, Encoding.UTF8, contentType));
        var detail = await Detail(response, contentType == "application/json" ? HttpStatusCode.BadRequest : HttpStatusCode.UnsupportedMediaType);
        Assert.DoesNotContain(Secret, detail);
        Assert.DoesNotContain(TestApp.AdminKey, detail);
        return detail;
    }

    [Fact]
    public async Task Malformed_json_says_the_line_and_byte_where_it_broke()
    {
        var detail = await PostComment("{\n  \"commentId\": \"c1\",\n  \"text\": \"" + Secret + "\"\n  \"authorId\": \"x\"\n}");
        Assert.Contains("not valid JSON", detail);
        Assert.Contains("line 4", detail);
        Assert.Contains("byte", detail);
    }

    [Theory]
    [InlineData("""{"commentId": 5, "text": "do-not-echo-this-text"}""", "'commentId'", "a string")]
    [InlineData("{\"commentId\": \"c1\",\n \"text\": [\"do-not-echo-this-text\"]}", "'text'", "a string")]
    [InlineData("""{"commentId": "c1", "text": "do-not-echo-this-text", "postedAt": "yesterday"}""", "'postedAt'", "ISO 8601")]
    [InlineData("""["do-not-echo-this-text"]""", "body must be", "an object")]
    public async Task A_value_of_the_wrong_type_names_the_field_and_the_type_expected(string body, string field, string expected)
    {
        var detail = await PostComment(body);
        Assert.Contains(field, detail);
        Assert.Contains(expected, detail);
    }

    [Fact]
    public async Task A_field_deep_in_the_body_is_named_by_its_path()
    {
        var response = await app.Client().PostAsync("/api/queue/decisions", new StringContent(
            """{"action":"reject","filter":{"score":{"field":"profanity","min":"high"}},"dryRun":true}""", Encoding.UTF8, "application/json"));
        var detail = await Detail(response, HttpStatusCode.BadRequest);
        Assert.Contains("'filter.score.min'", detail);
        Assert.Contains("a number", detail);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_says_which_content_type_to_send(string contentType)
    {
        var detail = await PostComment("commentId=c1&text=" + Secret, contentType);
        Assert.Contains("Content-Type: application/json", detail);
        Assert.Contains(contentType, detail);
    }

    [Fact]
    public async Task A_missing_key_is_401_with_a_bearer_challenge_saying_how_to_send_one()
    {
        var response = await app.Client(key: null).GetAsync("/api/queue");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Null(response.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Contains("Authorization: Bearer <key>", await Detail(response, HttpStatusCode.Unauthorized));
    }

    [Theory]
    [InlineData("Basic", "dXNlcjpwYXNz", "must be 'Bearer <key>'")]
    [InlineData("Bearer", "mk_not-a-key-this-service-ever-made", "not known")]
    public async Task A_refused_key_says_why_without_repeating_it(string scheme, string key, string why)
    {
        var client = app.Client(key: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, key);
        var response = await client.GetAsync("/api/queue");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter);
        var detail = await Detail(response, HttpStatusCode.Unauthorized);
        Assert.Contains(why, detail);
        Assert.DoesNotContain(key, detail);
    }

    [Fact]
    public async Task A_revoked_key_is_told_it_was_revoked()
    {
        var admin = app.Client();
        var created = await (await admin.PostAsJsonAsync("/api/keys", new { name = "gone", role = "moderator" })).Json();
        (await admin.DeleteAsync("/api/keys/" + created.GetProperty("keyId").GetString())).EnsureSuccessStatusCode();

        var response = await app.Client(created.GetProperty("key").GetString()).GetAsync("/api/queue");
        Assert.Contains("revoked", await Detail(response, HttpStatusCode.Unauthorized));
    }

    [Theory]
    [InlineData("moderator", "GET", "/api/keys", "needs an admin key; this key's role is 'moderator'")]
    [InlineData("ingest", "GET", "/api/queue", "needs a moderator or admin key; this key's role is 'ingest'")]
    [InlineData("moderator", "PUT", "/api/articles/a1", "needs an ingest or admin key; this key's role is 'moderator'")]
    public async Task A_key_without_the_role_is_told_which_role_the_route_needs(string role, string method, string url, string expected)
    {
        var client = app.Client(await app.KeyFor(role));
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { title = "t", body = "b" }) };
        Assert.Contains(expected, await Detail(await client.SendAsync(request), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task No_route_and_a_wrong_method_still_explain_themselves()
    {
        Assert.Contains("/openapi/v1.json", await Detail(await app.Client().GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound));
        Assert.Contains("does not take DELETE", await Detail(await app.Client().DeleteAsync("/api/queue"), HttpStatusCode.MethodNotAllowed));
    }
}

public sealed class ConsoleAddressTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Bare_admin_redirects_to_the_console_and_says_what_is_there()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/admin/", response.Headers.Location?.OriginalString);
        Assert.Contains("open it in a browser", await response.Content.ReadAsStringAsync());
    }
}
