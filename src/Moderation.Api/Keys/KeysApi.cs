using System.Security.Claims;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage.Keys;

namespace Moderation.Api.Keys;

public sealed record CreateKeyRequest(string? Name, string? Role);

/// <summary>The new key: <c>key</c> is shown here once and stored only as its hash.</summary>
public sealed record CreatedKey(string KeyId, string Name, string Role, string Key);

public sealed record KeyList(IReadOnlyList<ApiKeyRow> Items);

public static class KeysApi
{
    public static RouteGroupBuilder MapKeys(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/keys").WithTags("Keys").RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/", Create).WithName("CreateKey").WithSummary("Create a key; the key itself is shown only in this answer")
            .Produces<CreatedKey>(201).ProducesValidationProblem();
        group.MapGet("/", List).WithName("ListKeys").WithSummary("Every key, revoked ones too (never the key itself)").Produces<KeyList>();
        group.MapDelete("/{keyId}", Revoke).WithName("RevokeKey").WithSummary("Revoke a key (204)").Produces(204).ProducesProblem(404);
        return api;
    }

    static async Task<IResult> Create(CreateKeyRequest? body, KeyRepository keys, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var check = new Check();
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.Text("name", body.Name, 100).OneOf("role", body.Role, Roles.All);
        if (check.Problem is { } problem) return problem;
        var (keyId, key) = (ApiKeys.NewKeyId(), ApiKeys.NewKey());
        await keys.CreateAsync(keyId, body.Name!, body.Role!, ApiKeys.HashHex(key), Actor.Of(user), time.GetUtcNow(), ct);
        return TypedResults.Created($"/api/keys/{keyId}", new CreatedKey(keyId, body.Name!, body.Role!, key));
    }

    static async Task<IResult> List(KeyRepository keys, CancellationToken ct) =>
        TypedResults.Ok(new KeyList(await keys.ListAsync(ct)));

    static async Task<IResult> Revoke(string keyId, KeyRepository keys, ClaimsPrincipal user, TimeProvider time, CancellationToken ct) =>
        Check.IsId(keyId) && await keys.RevokeAsync(keyId, Actor.Of(user), time.GetUtcNow(), ct) ? TypedResults.NoContent() : Problems.NotFound($"no active key '{keyId}'");
}
