using System.Text;

namespace Moderation.Core.Relevance;

/// <summary>
/// Compact binary form of an <see cref="ArticleProfile"/> for a SQLite BLOB: a magic/version
/// header, length-prefixed UTF-8 strings and vectors as IEEE half floats (2 bytes per value;
/// a 400-word article with embeddings is about 20–30 KB). Lossless for profiles from
/// <see cref="ArticleProfiler"/>, whose vectors are already half precision.
/// </summary>
public static class ArticleProfileCodec
{
    private static readonly byte[] Magic = "ARPF"u8.ToArray();
    private const byte Version = 1;

    public static byte[] Encode(ArticleProfile p)
    {
        ArgumentNullException.ThrowIfNull(p);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(p.Title);
            w.Write(p.WordCount);
            w.Write(p.TermCounts.Count);
            foreach (var (term, count) in p.TermCounts) { w.Write(term); w.Write(count); }
            WriteStrings(w, p.TitleTerms);
            WriteStrings(w, p.Sentences);
            WriteVectors(w, p.Embedding is null ? [] : [p.Embedding]);
            WriteVectors(w, p.TitleEmbedding is null ? [] : [p.TitleEmbedding]);
            WriteVectors(w, p.ChunkEmbeddings);
            WriteVectors(w, p.SentenceEmbeddings);
        }
        return ms.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a profile of a known version.</exception>
    public static ArticleProfile Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new FormatException("Not an article profile.");
            var version = r.ReadByte();
            if (version != Version) throw new FormatException($"Unsupported article profile version {version}.");
            var title = r.ReadString();
            var words = r.ReadInt32();
            int n = CheckCount(r.ReadInt32(), bytes.Length);
            var terms = new Dictionary<string, int>(n, StringComparer.Ordinal);
            for (int i = 0; i < n; i++) terms[r.ReadString()] = r.ReadInt32();
            var titleTerms = ReadStrings(r, bytes.Length);
            var sentences = ReadStrings(r, bytes.Length);
            var mean = ReadVectors(r, bytes.Length);
            var titleVec = ReadVectors(r, bytes.Length);
            var chunks = ReadVectors(r, bytes.Length);
            var sentenceVecs = ReadVectors(r, bytes.Length);
            return new ArticleProfile(title, words, terms, titleTerms, sentences,
                mean.FirstOrDefault(), titleVec.FirstOrDefault(), chunks, sentenceVecs);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or DecoderFallbackException)
        {
            throw new FormatException("Corrupt article profile.", e);
        }
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> items)
    {
        w.Write(items.Count);
        foreach (var s in items) w.Write(s);
    }

    private static string[] ReadStrings(BinaryReader r, int max)
    {
        var items = new string[CheckCount(r.ReadInt32(), max)];
        for (int i = 0; i < items.Length; i++) items[i] = r.ReadString();
        return items;
    }

    private static void WriteVectors(BinaryWriter w, IReadOnlyList<float[]> vectors)
    {
        w.Write(vectors.Count);
        w.Write(vectors.Count == 0 ? 0 : vectors[0].Length);
        foreach (var v in vectors)
            foreach (var x in v) w.Write((Half)x);
    }

    private static float[][] ReadVectors(BinaryReader r, int max)
    {
        int count = CheckCount(r.ReadInt32(), max), dim = CheckCount(r.ReadInt32(), max);
        if ((long)count * dim * 2 > max) throw new FormatException("Corrupt article profile.");
        var result = new float[count][];
        for (int i = 0; i < count; i++)
        {
            var v = new float[dim];
            for (int d = 0; d < dim; d++) v[d] = (float)r.ReadHalf();
            result[i] = v;
        }
        return result;
    }

    private static int CheckCount(int n, int max) =>
        n < 0 || n > max ? throw new FormatException("Corrupt article profile.") : n;
}
