namespace Moderation.Benchmarks;

/// <summary>The article the relevance and scoring benchmarks score comments against (~400 words).</summary>
internal static class SampleArticle
{
    public const string Title = "Council passes budget that cuts late-night bus routes";

    public static readonly string Body = string.Join(" ", Enumerable.Repeat(
        "The council approved the operating budget by seven votes to six after an overnight session. " +
        "Late-night bus routes on the east side will run hourly instead of every twenty minutes. " +
        "Library hours are cut on Sundays and the residential tax rises by 3.4 per cent. ", 6));
}
