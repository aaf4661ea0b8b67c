using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Moderation.Api.OpenApi;

/// <summary>Examples of the main request bodies in the document, by operation id: the README tour's own values.</summary>
public static class RequestExamples
{
    static readonly Dictionary<string, string> ByOperation = new()
    {
        ["PutArticle"] = """{"title":"Council approves protected bike lanes on Main Street","body":"The city council voted 7-2 on Tuesday to build protected bike lanes along Main Street.","url":"https://news.example/bike-lanes","publishedAt":"2026-12-01T09:00:00Z"}""",
        ["IngestComment"] = """{"commentId":"c1","text":"Finally! Protected lanes on Main Street will make my commute so much safer.","authorId":"dana-17","authorName":"Dana"}""",
        ["ReportComment"] = """{"reason":"spam","reporterId":"reader-1"}""",
        ["Decide"] = """{"action":"reject","reasonCode":"offensive","note":"insults"}""",
        ["BulkDecide"] = """{"action":"reject","reasonCode":"spam","filter":{"reason":"profanity","score":{"field":"profanity","min":0.95,"max":1}},"dryRun":true}""",
        ["ScorePreview"] = """{"article":{"title":"Council approves bike lanes","body":"The city council voted to build protected bike lanes along Main Street."},"comments":[{"text":"Great news for cyclists."}]}""",
        ["CreateKey"] = """{"name":"Evening shift","role":"moderator"}""",
        ["CreateWebhook"] = """{"url":"https://cms.example/hooks/moderation","events":["comment.flagged","comment.decided"]}""",
        ["PutSettings"] = """{"reasons":{"profanity":{"flagAt":0.6,"hideAt":0.95}},"bannedTerms":["crypto pump"],"suspectTerms":["referendum"],"allowTerms":["bloody"],"profanityMinSeverity":"mild"}""",
        ["PutArticleSettings"] = """{"premoderation":false,"closed":false,"reasons":{"off_topic":{"flagAt":0.6,"hideAt":2}}}""",
    };

    public static Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.OperationId is { } id && ByOperation.TryGetValue(id, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
            media.Example = JsonNode.Parse(example);
        return Task.CompletedTask;
    }

    /// <summary>The operations that carry an example (OpenApiDocumentTests checks each has one, and that it is accepted).</summary>
    public static IReadOnlyDictionary<string, string> All => ByOperation;
}
