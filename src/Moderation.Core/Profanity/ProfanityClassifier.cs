using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Moderation.Core.Profanity;

/// <summary>
/// Linear text classifier for what the lexicon misses: <see cref="ProfanityFeatures"/> (character 1-4 grams and
/// hashed word 1-2 grams of the normalised text, counts, each block L2-normalised) dotted with weights trained
/// by ML.NET's L-BFGS logistic regression (<see cref="ProfanityTraining"/>), then Platt calibration.
/// Input is normalised here first (raw or already-normalised text both work); at most <see cref="MaxChars"/>
/// chars are read. Scoring is a sparse dot product over pooled/stack buffers: no allocation per call, and
/// thread-safe because the model is immutable.
/// </summary>
public sealed class ProfanityClassifier : IDisposable
{
    /// <summary>Manifest name of the embedded model (see Moderation.Core.csproj).</summary>
    public const string ResourceName = "Moderation.Core.Profanity.profanity-classifier.bin";
    internal const int MaxChars = 4000; // long comments: the opening is enough for a second opinion
    private const int StackTableEntries = 4096, StackTextChars = 1024;

    private readonly float[] _weights;
    private readonly ProfanityModelFile _model;
    private bool _disposed;

    private ProfanityClassifier(ProfanityModelFile model)
    {
        _model = model;
        _weights = model.DenseWeights();
    }

    internal ProfanityModelFile Model => _model;

    public static ProfanityClassifier Load(Stream model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ProfanityClassifier(ProfanityModelFile.Read(model));
    }

    internal static ProfanityClassifier FromModel(ProfanityModelFile model) => new(model);

    public static ProfanityClassifier LoadEmbedded()
    {
        using var s = typeof(ProfanityClassifier).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} not found");
        return Load(s);
    }

    /// <summary>Probability in [0,1] that the text is profane. Never throws for any string.</summary>
    public float PredictProbability(string normalisedOrRawText)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var text = (normalisedOrRawText ?? "").AsSpan();
        if (text.Length > MaxChars) text = text[..MaxChars];
        if (text.IsEmpty) return 0f;
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(StackTextChars, text.Length + 16));
        try
        {
            int n = ProfanityNormalizer.NormalizeInto(text, ref buffer);
            return n == 0 ? 0f : Probability(buffer.AsSpan(0, n));
        }
        finally { ArrayPool<char>.Shared.Return(buffer); }
    }

    /// <summary>Probability for text that is already normalised (training evaluates with this).</summary>
    internal float Probability(ReadOnlySpan<char> normalised)
    {
        int entries = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, 2 * ProfanityFeatures.MaxOccurrences(normalised.Length)));
        ulong[]? rented = null;
        Span<ulong> table = entries <= StackTableEntries
            ? stackalloc ulong[StackTableEntries]
            : (rented = ArrayPool<ulong>.Shared.Rent(entries));
        try
        {
            table = table[..entries];
            table.Clear();
            var sink = new ScoringSink(_weights, table, _model.NormOverKnownFeatures);
            ProfanityFeatures.Extract(normalised, _model.WordBits, ref sink);
            double score = _model.Bias + sink.Score;
            double p = 1.0 / (1.0 + Math.Exp(_model.PlattSlope * score + _model.PlattOffset));
            return double.IsNaN(p) ? 0f : (float)Math.Clamp(p, 0.0, 1.0);
        }
        finally { if (rented != null) ArrayPool<ulong>.Shared.Return(rented); }
    }

    public void Dispose() => _disposed = true;

    /// <summary>
    /// Sums the weights of the occurrences per block and, through an open-addressing count table
    /// (key+1 in the low 32 bits, count in the high 32), the squared counts that give each block's L2 norm.
    /// </summary>
    private ref struct ScoringSink(float[] weights, Span<ulong> table, bool knownOnly) : IFeatureSink
    {
        private readonly ReadOnlySpan<float> _weights = weights;
        private readonly Span<ulong> _table = table;
        private readonly int _mask = table.Length - 1;
        private readonly int _shift = 32 - System.Numerics.BitOperations.Log2((uint)table.Length);
        private double _dotChar, _dotWord;
        private long _sqChar, _sqWord;

        public void Add(int index)
        {
            float w = _weights[index];
            if (knownOnly && w == 0f) return; // never seen in training: no column for it, as in FeaturizeText's dictionary
            uint key = (uint)index + 1;
            int slot = (int)((key * 0x9E3779B1u) >> _shift) & _mask;
            long count;
            while (true)
            {
                ulong e = _table[slot];
                if (e == 0) { _table[slot] = key | (1UL << 32); count = 0; break; }
                if ((uint)e == key) { _table[slot] = e + (1UL << 32); count = (long)(e >> 32); break; }
                slot = (slot + 1) & _mask;
            }
            // (c+1)^2 - c^2 = 2c + 1
            if (ProfanityFeatures.IsChar(index)) { _dotChar += w; _sqChar += 2 * count + 1; }
            else { _dotWord += w; _sqWord += 2 * count + 1; }
        }

        public readonly double Score =>
            (_sqChar == 0 ? 0 : _dotChar / Math.Sqrt(_sqChar)) + (_sqWord == 0 ? 0 : _dotWord / Math.Sqrt(_sqWord));
    }
}

/// <summary>
/// The trained model as stored: featuriser settings, bias, Platt calibration and the non-zero weights.
/// Binary, little-endian, deterministic (no timestamps): "PRFCLF" magic, version, settings, then the
/// weights as (delta-encoded index varint, float32) pairs in index order.
/// </summary>
internal sealed record ProfanityModelFile(int WordBits, bool NormOverKnownFeatures, float Bias, float PlattSlope, float PlattOffset,
                                          int[] Indices, float[] Values)
{
    private static ReadOnlySpan<byte> Magic => "PRFCLF"u8;
    private const int Version = 1;

    public int Dimension => ProfanityFeatures.Dimension(WordBits);

    public float[] DenseWeights()
    {
        var w = new float[Dimension];
        for (int i = 0; i < Indices.Length; i++) w[Indices[i]] = Values[i];
        return w;
    }

    public void Write(Stream stream)
    {
        using var bw = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        bw.Write(Magic);
        bw.Write(Version);
        bw.Write(ProfanityFeatures.CharGram);
        bw.Write(WordBits);
        bw.Write(NormOverKnownFeatures);
        bw.Write(Bias);
        bw.Write(PlattSlope);
        bw.Write(PlattOffset);
        bw.Write(Indices.Length);
        int prev = -1;
        for (int i = 0; i < Indices.Length; i++)
        {
            bw.Write7BitEncodedInt(Indices[i] - prev);
            prev = Indices[i];
            bw.Write(Values[i]);
        }
    }

    public static ProfanityModelFile Read(Stream stream)
    {
        try
        {
            using var br = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            Span<byte> magic = stackalloc byte[6];
            br.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(Magic)) throw new InvalidDataException("not a profanity classifier model (bad magic)");
            int version = br.ReadInt32(), charGram = br.ReadInt32(), wordBits = br.ReadInt32();
            if (version != Version || charGram != ProfanityFeatures.CharGram || wordBits is < 10 or > 24)
                throw new InvalidDataException($"unsupported profanity model: version {version}, char n {charGram}, word bits {wordBits}");
            bool knownOnly = br.ReadBoolean();
            float bias = br.ReadSingle(), slope = br.ReadSingle(), offset = br.ReadSingle();
            int dim = ProfanityFeatures.Dimension(wordBits), n = br.ReadInt32();
            if (n < 0 || n > dim) throw new InvalidDataException("bad weight count");
            var idx = new int[n];
            var val = new float[n];
            int prev = -1;
            for (int i = 0; i < n; i++)
            {
                int d = br.Read7BitEncodedInt();
                if (d <= 0 || (long)prev + d >= dim) throw new InvalidDataException("bad weight index");
                idx[i] = prev += d;
                val[i] = br.ReadSingle();
            }
            if (!float.IsFinite(bias) || !float.IsFinite(slope) || !float.IsFinite(offset)) throw new InvalidDataException("bad model constants");
            return new ProfanityModelFile(wordBits, knownOnly, bias, slope, offset, idx, val);
        }
        catch (EndOfStreamException ex) { throw new InvalidDataException("truncated profanity model", ex); }
    }
}
