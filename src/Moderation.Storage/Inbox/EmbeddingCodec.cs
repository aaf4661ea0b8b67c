using System.Runtime.InteropServices;

namespace Moderation.Storage.Inbox;

/// <summary>Comment embeddings as little-endian float32 BLOBs (384 floats = 1.5 KB).</summary>
public static class EmbeddingCodec
{
    public static byte[] Encode(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] Decode(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob.AsSpan()).ToArray();
}
