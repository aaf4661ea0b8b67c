using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Moderation.Core.Relevance.Training;

/// <param name="Unlabelled">Part of the thread (scored, a sibling of later comments) but without a binary label:
/// never a training row, never counted in a metric (the forum's "PotentiallyUseful" replies).</param>
public sealed record TrainingComment(string Id, string Text, bool OnTopic, string? ParentId, bool Unlabelled = false);

public sealed record TrainingArticle(string Id, string Topic, string Title, string Body, IReadOnlyList<TrainingComment> Comments);

/// <summary>Loads training-data/relevance/*.json and splits it by article, deterministically.</summary>
public static class TrainingData
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Every readable article file handed in (the CLI hands in training-data/relevance/*.json), ordered by id.
    /// Unreadable files are reported, not fatal (other people may be writing them right now). A file without an id
    /// takes its name without extension.</summary>
    public static List<TrainingArticle> Load(IEnumerable<TrainingFile> files, TextWriter? log = null)
    {
        var result = new List<TrainingArticle>();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file.Name);
            try
            {
                TrainingArticle? a;
                using (var reader = file.Open()) a = JsonSerializer.Deserialize<TrainingArticle>(reader.ReadToEnd(), Json);
                if (a is null || string.IsNullOrWhiteSpace(a.Body) || a.Comments is null || a.Comments.Count == 0)
                {
                    log?.WriteLine($"skipped {name}: no body or comments");
                    continue;
                }
                var id = string.IsNullOrWhiteSpace(a.Id) ? Path.GetFileNameWithoutExtension(name) : a.Id;
                var comments = a.Comments.Where(c => c is not null && c.Text is not null)
                    .Select((c, i) => c with { Id = string.IsNullOrWhiteSpace(c.Id) ? $"c{i + 1}" : c.Id }).ToArray();
                result.Add(a with { Id = id, Topic = a.Topic ?? "", Title = a.Title ?? "", Comments = comments });
            }
            catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
            {
                log?.WriteLine($"skipped {name}: {e.Message}");
            }
        }
        return result.OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Holds back ~<paramref name="testShare"/> of the articles (at least one) for testing. The order is a
    /// keyed hash of (seed, article id), so adding files does not reshuffle the existing assignment much and
    /// the split never depends on file-system order.
    /// </summary>
    public static (List<TrainingArticle> Train, List<TrainingArticle> Test) Split(
        IReadOnlyList<TrainingArticle> articles, int seed, double testShare = 0.2)
    {
        if (articles.Count < 2) return (articles.ToList(), []);
        var ordered = articles.OrderBy(a => StableHash(seed, a.Id)).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        int test = Math.Clamp((int)Math.Round(articles.Count * testShare), 1, articles.Count - 1);
        return (ordered.Skip(test).ToList(), ordered.Take(test).ToList());
    }

    internal static ulong StableHash(int seed, string id)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{id}"));
        return BitConverter.ToUInt64(bytes, 0);
    }
}
