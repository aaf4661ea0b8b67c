using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage.Authors;

namespace Moderation.Api.Authors;

public static class AuthorsApi
{
    public static RouteGroupBuilder MapAuthors(this RouteGroupBuilder api)
    {
        api.MapGet("/authors/{authorId}", Get).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Authors").WithName("GetAuthor")
            .WithSummary("An author's record: comments, decisions, recent rejection rate (last 30 days)").Produces<AuthorStats>().ProducesProblem(404);
        return api;
    }

    static async Task<IResult> Get(string authorId, AuthorRepository authors, TimeProvider time, CancellationToken ct)
    {
        var stats = Check.IsId(authorId) ? await authors.GetAsync(authorId, time.GetUtcNow(), ct) : null;
        return stats is null ? Problems.NotFound($"no comments by author '{authorId}'") : TypedResults.Ok(stats);
    }
}
