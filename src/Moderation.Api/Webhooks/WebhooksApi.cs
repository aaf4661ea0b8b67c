using System.Security.Claims;
using System.Security.Cryptography;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Microsoft.Extensions.Options;
using Moderation.Storage.Webhooks;
using Moderation.Worker.Outbound;
using Moderation.Worker.Webhooks;

namespace Moderation.Api.Webhooks;

public sealed record WebhookRequest(string? Url, List<string>? Events);

/// <summary>A subscription as the API shows it: <c>events</c> is the array POST took, never the stored ",a,b," string.</summary>
public sealed record WebhookView(string WebhookId, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static WebhookView From(WebhookRow row) => new(row.WebhookId, row.Url,
        row.Events.Split(',', StringSplitOptions.RemoveEmptyEntries), Storage.Database.ParseTime(row.CreatedAt), Storage.Database.ParseTimeOrNull(row.RevokedAt));
}

public sealed record WebhookList(IReadOnlyList<WebhookView> Items);

/// <summary>The new subscription: <c>secret</c> signs every delivery and is shown here once.</summary>
public sealed record CreatedWebhook(string WebhookId, string Url, IReadOnlyList<string> Events, string Secret);

public sealed record DeliveryView(long Id, string WebhookId, string Url, string Event, long Attempts, string CreatedAt, string? DeliveredAt,
    string? FailedAt, long? LastStatus, string? LastError);

public sealed record DeliveryLog(IReadOnlyList<DeliveryView> Items);

public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/", Create).WithName("CreateWebhook").WithSummary("Subscribe a URL to events; the signing secret is shown only in this answer")
            .Produces<CreatedWebhook>(201).ProducesValidationProblem();
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("Every subscription, revoked ones too (never the secret)").Produces<WebhookList>();
        group.MapDelete("/{webhookId}", Revoke).WithName("RevokeWebhook").WithSummary("Stop deliveries to a subscription (204)").Produces(204).ProducesProblem(404);
        group.MapGet("/deliveries", Deliveries).WithName("WebhookDeliveries").WithSummary("The delivery log, newest first").Produces<DeliveryLog>();
        return api;
    }

    static async Task<IResult> Create(WebhookRequest? body, WebhookRepository webhooks, ClaimsPrincipal user, IOptions<WebhookOptions> options, TimeProvider time, CancellationToken ct)
    {
        var check = new Check();
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.Text("url", body.Url, 2048);
        Uri? uri = null;
        if (body.Url is not null && !(Uri.TryCreate(body.Url, UriKind.Absolute, out uri) && uri.Scheme is "http" or "https"))
            check.Fail("url", "must be an absolute http or https URL");
        // Said at once where the URL itself names such an address; a name that resolves to one is refused when delivering.
        else if (uri is not null && !options.Value.AllowPrivate && PrivateAddresses.IsPrivateHost(uri))
            check.Fail("url", "points at this machine or a private network, which webhooks may not reach (Moderation:Webhooks:AllowPrivate)");
        var events = body.Events is null or { Count: 0 } ? ["*"] : body.Events;
        foreach (var e in events)
            if (e != "*" && !WebhookEvents.All.Contains(e)) check.Fail("events", $"'{e}' is not one of: *, {string.Join(", ", WebhookEvents.All.Order())}");
        if (check.Problem is { } problem) return problem;
        var webhookId = "wh_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        var secret = "whsec_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await webhooks.CreateAsync(webhookId, body.Url!, events, secret, Actor.Of(user), time.GetUtcNow(), ct);
        return TypedResults.Created($"/api/webhooks/{webhookId}", new CreatedWebhook(webhookId, body.Url!, events, secret));
    }

    static async Task<IResult> List(WebhookRepository webhooks, CancellationToken ct) =>
        TypedResults.Ok(new WebhookList((await webhooks.ListAsync(ct)).Select(WebhookView.From).ToList()));

    static async Task<IResult> Revoke(string webhookId, WebhookRepository webhooks, ClaimsPrincipal user, TimeProvider time, CancellationToken ct) =>
        Check.IsId(webhookId) && await webhooks.RevokeAsync(webhookId, Actor.Of(user), time.GetUtcNow(), ct) ? TypedResults.NoContent() : Problems.NotFound($"no active webhook '{webhookId}'");

    static async Task<IResult> Deliveries(WebhookRepository webhooks, CancellationToken ct) =>
        TypedResults.Ok(new DeliveryLog((await webhooks.LogAsync(200, ct)).Select(d => new DeliveryView(
            d.Id, d.WebhookId, d.Url, d.Event, d.Attempts, d.CreatedAt, d.DeliveredAt, d.FailedAt, d.LastStatus, GuardedHttp.Coarse(d.LastError))).ToList()));
}
