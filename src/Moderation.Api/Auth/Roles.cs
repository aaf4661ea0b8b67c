namespace Moderation.Api.Auth;

/// <summary>Roles of the contract and the policies built on them: admin may do everything.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Moderator = "moderator";
    public const string Ingest = "ingest";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Admin, Moderator, Ingest };

    public const string AdminPolicy = "admin";
    public const string ModeratorPolicy = "moderator";
    public const string IngestPolicy = "ingest";
}
