namespace Moderation.Core.Profanity;

/// <summary>
/// One run of the normalised text: a repeated letter (fuuuck -> u x3), a mask run, or a word separator.
/// Start/End are UTF-16 offsets into the original text, so spans map back without a per-char table.
/// </summary>
internal struct Run
{
    public const int Sep = unchecked((int)0x80000000);
    public const byte Joined = 1;   // part of a word re-joined from single letters ("f u c k")
    public const byte Exact = 2;    // trailing mask run after one letter ("f***"): one letter per mask char

    public int Cls;     // CharClass bits, or Sep
    public int Count;   // number of source characters folded into this run
    public int Start;
    public int End;
    public byte Flags;

    public readonly bool IsSep => Cls == Sep;
}
