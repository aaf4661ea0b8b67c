using Moderation.Core.Relevance;

namespace Moderation.Core.Tests.Relevance;

public class SentenceEmbedderTests
{
    private static SentenceEmbedder E => SharedEmbedder.Value;

    [Fact]
    public void Embedding_is_normalised_and_deterministic()
    {
        var a = E.Embed("The council approved the budget after a long night.");
        var b = E.Embed("The council approved the budget after a long night.");
        Assert.Equal(SentenceEmbedder.Dimension, a.Length);
        Assert.Equal(a, b);
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 3);
    }

    [Fact]
    public void Similar_sentences_are_closer_than_unrelated_ones()
    {
        var a = E.Embed("The city council passed its annual budget by one vote.");
        var b = E.Embed("Councillors approved next year's spending plan in a narrow vote.");
        var c = E.Embed("Anyone catch the game last night? What a finish!");
        Assert.True(VectorMath.Cosine(a, b) > VectorMath.Cosine(a, c) + 0.2);
    }

    [Fact]
    public void Ten_thousand_words_are_chunked_and_fully_embedded()
    {
        var sentence = "The harbour authority reviewed the ferry timetable and the cost of new piers. ";
        var text = string.Concat(Enumerable.Repeat(sentence, 770));   // ~10,000 words
        Assert.InRange(TextAnalysis.WordCount(text), 9_500, 10_500);

        var chunks = E.Chunk(text);
        Assert.True(chunks.Count >= 40, $"only {chunks.Count} chunks");
        Assert.All(chunks, c => Assert.InRange(c.Length, 3, SentenceEmbedder.MaxTokens));
        int contentTokens = chunks.Sum(c => c.Length - 2);
        int expected = E.Chunk(sentence).Single().Length - 2;
        Assert.Equal(expected * 770, contentTokens);   // every token is in some chunk: nothing was cut

        // Every chunk is embedded (Embed is the normalised mean of exactly these vectors).
        var vectors = E.EmbedChunks(text);
        Assert.Equal(chunks.Count, vectors.Length);
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
    }

    [Fact]
    public void Long_text_tail_changes_the_embedding()
    {
        var head = string.Concat(Enumerable.Repeat("The library will close on Sundays to save money. ", 60));
        var tail = string.Concat(Enumerable.Repeat("My favourite football team lost the cup final again. ", 60));
        Assert.True(VectorMath.Cosine(E.Embed(head), E.Embed(head + tail)) < 0.95);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\uD800 lone surrogate \u0000 nul")]
    [InlineData("🤬🤬🤬 東京 مرحبا ‮reversed‬ z͑͗a̐l̀g̊o")]
    public void Odd_input_never_throws(string text)
    {
        var v = E.Embed(text);
        Assert.Equal(SentenceEmbedder.Dimension, v.Length);
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void Very_long_word_does_not_throw()
    {
        Assert.Equal(SentenceEmbedder.Dimension, E.Embed(new string('x', 50_000)).Length);
    }

    [Fact]
    public void Batch_matches_single_embeddings()
    {
        var texts = new[] { "Short one.", "A somewhat longer sentence about bicycles and docking stations.", "" };
        var batch = E.EmbedBatch(texts);
        for (int i = 0; i < texts.Length; i++)
            Assert.True(VectorMath.Cosine(batch[i], E.Embed(texts[i])) > 0.9999);
    }

    [Fact]
    public void Concurrent_calls_are_safe()
    {
        var expected = E.Embed("Concurrent embedding test sentence.");
        Parallel.For(0, 8, _ => Assert.True(VectorMath.Cosine(expected, E.Embed("Concurrent embedding test sentence.")) > 0.9999));
    }
}

public class EmbeddingPrecisionTests
{
    /// <summary>The service runs MiniLM with 8-bit integer products (EmbeddingQuantizer); its vectors must stay those of the
    /// published float graph, and the order of relevance the features rest on must not change.</summary>
    [Fact]
    public void Int8_embeddings_stay_close_to_the_float_graph_and_keep_the_ranking()
    {
        using var float32 = SentenceEmbedder.CreateDefault(precision: EmbeddingPrecision.Float32);
        var int8 = SharedEmbedder.Value;
        var texts = Samples.OnTopic.Concat(Samples.OffTopic).Append(Samples.Body).Append(Samples.OffTopicRant(6)).ToArray();
        var exact = float32.EmbedBatch(texts);
        var quantized = int8.EmbedBatch(texts);
        for (int i = 0; i < texts.Length; i++)
            Assert.True(VectorMath.Cosine(exact[i], quantized[i]) > 0.97, $"text {i}: cosine {VectorMath.Cosine(exact[i], quantized[i]):F4}");

        // Every on-topic comment is closer to the article than every off-topic one, with either graph.
        int article = Samples.OnTopic.Length + Samples.OffTopic.Length;
        foreach (var vectors in new[] { exact, quantized })
        {
            var onTopic = Enumerable.Range(0, Samples.OnTopic.Length).Select(i => VectorMath.Cosine(vectors[i], vectors[article]));
            var offTopic = Enumerable.Range(Samples.OnTopic.Length, Samples.OffTopic.Length).Select(i => VectorMath.Cosine(vectors[i], vectors[article]));
            Assert.True(onTopic.Min() > offTopic.Max());
        }
    }
}
