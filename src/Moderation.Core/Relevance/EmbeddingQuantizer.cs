using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Google.Protobuf;
using Onnx;

namespace Moderation.Core.Relevance;

/// <summary>
/// Rewrites the MiniLM graph for 8-bit integer matrix products, in memory, when the embedder loads: every
/// <c>MatMul</c> whose right operand is a float weight matrix becomes the ONNX dynamic-quantization pattern
/// (<c>DynamicQuantizeLinear</c> of the activations → <c>MatMulInteger</c> with the weights quantized per
/// output column → <c>Cast</c> → one multiply by the two scales). ONNX Runtime fuses the pattern into its
/// integer GEMM (VNNI on this machine's CPU). This is what <c>onnxruntime.quantization.quantize_dynamic</c>
/// does with <c>per_channel=True</c>; it is done here because no quantized MiniLM is served by a package and
/// nothing may download at run time. The 36 projection matrices carry nearly all of the arithmetic; the word
/// embeddings, layer norms, attention scores and softmax stay float.
/// Measured (docs/PERFORMANCE.md): ≈ 2.5× less CPU per comment, embeddings within cosine ≈ 0.99 of float.
/// </summary>
public static class EmbeddingQuantizer
{
    /// <summary>
    /// Weights as signed bytes (zero point 0) where the CPU has VNNI; elsewhere the same grid shifted to unsigned bytes
    /// (zero point 128): AVX2's u8×s8 multiply-add saturates 16-bit sums, u8×u8 kernels do not. The integer products,
    /// and so the embeddings, are the same either way.
    /// </summary>
    static readonly bool SignedWeights = AvxVnni.IsSupported;

    /// <summary>Reads the float graph from <paramref name="floatModel"/> (a stream: the 90 MB float file is never held
    /// as one array beside its parsed copy) and returns the quantized graph's bytes.</summary>
    public static byte[] Quantize(Stream floatModel)
    {
        var model = ModelProto.Parser.ParseFrom(floatModel);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var nodes = new List<NodeProto>(graph.Node.Count + 200);
        int index = 0;
        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.Dims.Count != 2 || weight.DataType != (int)TensorProto.Types.DataType.Float)
            {
                nodes.Add(node);
                continue;
            }
            var prefix = $"int8_{index++}_";
            graph.Initializer.Remove(weight);
            graph.Initializer.Add(QuantizeColumns(weight, prefix, out var zeroPoints, out var scales));
            graph.Initializer.Add(zeroPoints);
            graph.Initializer.Add(scales);
            nodes.Add(Node("DynamicQuantizeLinear", [node.Input[0]], [prefix + "x", prefix + "x_scale", prefix + "x_zero"]));
            nodes.Add(Node("MatMulInteger", [prefix + "x", prefix + "w", prefix + "x_zero", prefix + "w_zero"], [prefix + "product"]));
            var cast = Node("Cast", [prefix + "product"], [prefix + "product_float"]);
            cast.Attribute.Add(new AttributeProto
            {
                Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float,
            });
            nodes.Add(cast);
            nodes.Add(Node("Mul", [prefix + "x_scale", prefix + "w_scale"], [prefix + "scale"]));
            nodes.Add(Node("Mul", [prefix + "product_float", prefix + "scale"], [node.Output[0]]));
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return model.ToByteArray();
    }

    /// <summary>Symmetric per-column quantization of a [K, N] float matrix: column j keeps max|w| / 127 as its scale.</summary>
    static TensorProto QuantizeColumns(TensorProto weight, string prefix, out TensorProto zeroPoints, out TensorProto scales)
    {
        int rows = (int)weight.Dims[0], columns = (int)weight.Dims[1];
        var values = weight.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray()
            : weight.FloatData.ToArray();
        var scale = new float[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) scale[c] = Math.Max(scale[c], Math.Abs(values[r * columns + c]));
        for (int c = 0; c < columns; c++) scale[c] = scale[c] == 0 ? 1f : scale[c] / 127f;

        byte shift = SignedWeights ? (byte)0 : (byte)128;
        var quantized = new byte[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                int q = (int)Math.Clamp(MathF.Round(values[r * columns + c] / scale[c]), -127f, 127f);
                quantized[r * columns + c] = unchecked((byte)(q + shift));
            }

        var byteType = (int)(SignedWeights ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8);
        var result = new TensorProto { Name = prefix + "w", DataType = byteType, RawData = ByteString.CopyFrom(quantized) };
        result.Dims.Add(rows);
        result.Dims.Add(columns);
        zeroPoints = new TensorProto
        {
            Name = prefix + "w_zero", DataType = byteType, RawData = ByteString.CopyFrom(Enumerable.Repeat(shift, columns).ToArray()),
        };
        zeroPoints.Dims.Add(columns);
        scales = new TensorProto
        {
            Name = prefix + "w_scale", DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(scale.AsSpan())),
        };
        scales.Dims.Add(columns);
        return result;
    }

    static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = outputs[^1] + "_" + op };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}
