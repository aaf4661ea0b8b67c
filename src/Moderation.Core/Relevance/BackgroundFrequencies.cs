using System.Globalization;
using Moderation.Core.Relevance.Training;

namespace Moderation.Core.Relevance;

/// <summary>
/// Document frequencies of the training articles, shipped with the models. The models learned their
/// lexical features with IDF over those articles; a new installation with a handful of articles would
/// otherwise see IDF of almost nothing (every article term in every document) and score on-topic
/// comments low. Production adds these counts to the live collection's, so IDF starts where training
/// was and the live articles take over as they accumulate.
/// </summary>
public sealed class BackgroundFrequencies : IDocumentFrequencies
{
    public const string FileName = "background-df.tsv";
    const string ResourceName = "Moderation.Core.Relevance." + FileName;

    static readonly Lazy<BackgroundFrequencies> EmbeddedValue = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    readonly Dictionary<string, long> df;

    BackgroundFrequencies(long documents, Dictionary<string, long> df) => (DocumentCount, this.df) = (documents, df);

    public static BackgroundFrequencies Embedded => EmbeddedValue.Value;

    public long DocumentCount { get; }

    public long DocumentFrequency(string term) => df.GetValueOrDefault(term);

    /// <summary>Never changes after loading.</summary>
    public object Snapshot => this;

    /// <summary>Counts each article's distinct terms exactly as training does, and writes them as "term TAB df" lines.</summary>
    public static void Write(IEnumerable<TrainingArticle> articles, string path)
    {
        var counts = new InMemoryDocumentFrequencies();
        var terms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var a in articles)
        {
            var keys = TextAnalysis.TermCounts(a.Title + "\n\n" + a.Body).Keys.ToList();
            counts.Add(keys);
            terms.UnionWith(keys);
        }
        using var w = new StreamWriter(path);
        w.WriteLine($"#documents\t{counts.DocumentCount.ToString(CultureInfo.InvariantCulture)}");
        foreach (var t in terms) w.WriteLine($"{t}\t{counts.DocumentFrequency(t).ToString(CultureInfo.InvariantCulture)}");
    }

    static BackgroundFrequencies LoadEmbedded()
    {
        using var stream = typeof(BackgroundFrequencies).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing; run `train relevance`");
        using var reader = new StreamReader(stream);
        long documents = 0;
        var df = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0) continue;
            var value = long.Parse(line.AsSpan(tab + 1), CultureInfo.InvariantCulture);
            if (line.StartsWith("#documents", StringComparison.Ordinal)) documents = value;
            else df[line[..tab]] = value;
        }
        return new BackgroundFrequencies(documents, df);
    }
}

/// <summary>The live collection's counts plus the background's.</summary>
public sealed class CombinedFrequencies(IDocumentFrequencies live, IDocumentFrequencies background) : IDocumentFrequencies
{
    public long DocumentCount => live.DocumentCount + background.DocumentCount;

    public long DocumentFrequency(string term) => live.DocumentFrequency(term) + background.DocumentFrequency(term);

    public object? Snapshot => live.Snapshot is { } l && background.Snapshot is { } b ? (l, b) : null;
}
