using System.Runtime.CompilerServices;

namespace Moderation.Core.Profanity;

/// <summary>
/// Turns the original text into runs (see <see cref="Run"/>), one pass, no allocation.
/// Words are closed by separators; each closed word is followed by one Sep run.
/// Word-level rules applied on close: edge punctuation trimmed, digit-only words neutralised
/// (numbers are not leet), single letters split by short separators re-joined ("f.u.c.k").
/// </summary>
internal ref struct RunScanner
{
    public const int MaxTokenRuns = 256, MaxJoined = 32;
    private readonly ReadOnlySpan<char> _text;
    private readonly Span<Run> _runs;
    private int _pos, _count, _tokStart;
    private int _letters, _digits;
    private bool _prevSingle;
    private int _groupSingles;
    private int _prevEnd;
    private int _groupGap; // GapKind of the current spelled-out group

    public RunScanner(ReadOnlySpan<char> text, Span<Run> runs)
    {
        _text = text; _runs = runs; _tokStart = -1;
    }

    public readonly int Count => _count;

    /// <summary>Scan until the text ends (returns true) or, at a word boundary, Count reaches flushAt.</summary>
    /// <remarks>
    /// Hot loop: position, run count and token state live in locals (written back to the fields only around
    /// the rare slow paths), and runs of plain ASCII letters are consumed by an inner loop that keeps the
    /// current run in registers. Plain words (letters only) are closed without the general word rules.
    /// </remarks>
    public bool Fill(int flushAt)
    {
        var text = _text;
        var runs = _runs;
        var ascii = CharClass.Ascii;
        int pos = _pos, count = _count, tokStart = _tokStart, letters = _letters, digits = _digits;
        bool tokPlain = false; // the open token holds only plain letters (closed by the fast path)
        while (pos < text.Length)
        {
            int i = pos;
            char c = text[i];
            int next = i + 1, cls;
            if (c < 128)
            {
                cls = ascii[c];
                if (cls != 0 && (cls & ~CharClass.LetterBits) == 0)
                {
                    // Plain letters: one run per letter change, the current run kept in locals.
                    if (tokStart < 0) { tokStart = count; letters = digits = 0; tokPlain = true; }
                    int rcls = cls, rstart = i, rcount = 0;
                    if (count > tokStart && runs[count - 1].Cls == cls) { count--; rstart = runs[count].Start; rcount = runs[count].Count; }
                    int p = i;
                    while (true)
                    {
                        rcount++; p++; letters++;
                        if (count + 1 - tokStart >= MaxTokenRuns) break; // the current run is the last a token may hold
                        if (p >= text.Length) break;
                        char d = text[p];
                        if (d >= 128) break;
                        int dc = ascii[d];
                        if (dc == rcls) continue;
                        if (dc == 0 || (dc & ~CharClass.LetterBits) != 0) break;
                        runs[count++] = new Run { Cls = rcls, Count = rcount, Start = rstart, End = p };
                        rcls = dc; rstart = p; rcount = 0;
                    }
                    runs[count++] = new Run { Cls = rcls, Count = rcount, Start = rstart, End = p };
                    pos = p;
                    if (count - tokStart >= MaxTokenRuns)
                    {
                        Sync(pos, count, tokStart, letters, digits);
                        CloseToken();
                        count = _count; tokStart = -1;
                        if (count >= flushAt) return false;
                    }
                    continue;
                }
                // Plain separators: any class-0 ASCII char except the ones with rules ('&' entity, '<' tag,
                // '-' '_' in-word masks, ".." mask); a single '.' followed by anything else is plain too.
                if (cls == 0 && (PlainSeparator(c) || c == '.' && (next >= text.Length || text[next] != '.')))
                {
                    pos = next;
                    if (tokStart < 0) continue;
                    // Plain word: no punctuation to trim, no digits, not a single letter: only the join state changes.
                    if (tokPlain && letters >= 2 && _groupSingles < 2)
                    {
                        _groupSingles = 0; _prevSingle = false;
                        int end = runs[count - 1].End;
                        _prevEnd = end;
                        runs[count++] = new Run { Cls = Run.Sep, Count = 1, Start = end, End = end };
                        tokStart = -1;
                    }
                    else
                    {
                        Sync(pos, count, tokStart, letters, digits);
                        CloseToken();
                        count = _count; tokStart = -1;
                    }
                    if (count >= flushAt) { Sync(pos, count, tokStart, letters, digits); return false; }
                    continue;
                }
                if (c == '&' && HtmlEntity.TryDecode(text.Slice(i), out int cp, out int len)) { cls = CharClass.OfCodePoint(cp); next = i + len; }
                else if (c == '<' && HtmlTagLength(i) is int tag && tag > 0) { pos = i + tag; continue; } // a<br>ss
                else if (c == '|' && i + 2 < text.Length && text[i + 1] == '_' && text[i + 2] == '|') { cls = CharClass.L('u'); next = i + 3; } // |_| = u
                else if (c is '-' or '.' or '_' && tokStart >= 0 && InWordMask(i, c, count - tokStart == 1 && runs[tokStart].Count == 1) is int n && n > 0)
                {
                    const int MaskCls = CharClass.Wild | CharClass.Trim;
                    if (count > tokStart && runs[count - 1].Cls == MaskCls) { ref var last = ref runs[count - 1]; last.Count += n; last.End = i + n; }
                    else runs[count++] = new Run { Cls = MaskCls, Count = n, Start = i, End = i + n };
                    tokPlain = false;
                    pos = i + n;
                    continue;
                }
            }
            else if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && next < text.Length && char.IsLowSurrogate(text[next]))
                { cls = CharClass.OfCodePoint(char.ConvertToUtf32(c, text[next])); next++; }
                else cls = 0;
            }
            else cls = CharClass.Of(c);
            pos = next;
            if (cls == CharClass.Ignore) continue;
            if (cls == 0)
            {
                if (tokStart >= 0)
                {
                    Sync(pos, count, tokStart, letters, digits);
                    CloseToken();
                    count = _count; tokStart = -1;
                    if (count >= flushAt) return false;
                }
                continue;
            }
            if (tokStart < 0) { tokStart = count; letters = digits = 0; }
            tokPlain = false;
            if ((cls & CharClass.Digit) != 0) digits++;
            else if ((cls & CharClass.Wild) == 0 && (cls & CharClass.LetterBits) != 0) letters++;
            if (count > tokStart && runs[count - 1].Cls == cls) { ref var last = ref runs[count - 1]; last.Count++; last.End = next; }
            else runs[count++] = new Run { Cls = cls, Count = 1, Start = i, End = next };
            if (count - tokStart >= MaxTokenRuns)
            {
                Sync(pos, count, tokStart, letters, digits);
                CloseToken();
                count = _count; tokStart = -1;
                if (count >= flushAt) return false;
            }
        }
        Sync(pos, count, tokStart, letters, digits);
        if (_tokStart >= 0) CloseToken();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool PlainSeparator(char c) => c is not ('&' or '<' or '-' or '.' or '_');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Sync(int pos, int count, int tokStart, int letters, int digits)
    {
        _pos = pos; _count = count; _tokStart = tokStart; _letters = letters; _digits = digits;
    }

    private void CloseToken()
    {
        int s = _tokStart, e = _count; // token runs [s, e)
        _tokStart = -1;
        int f = s, l = e - 1;
        while (f <= l && (_runs[f].Cls & CharClass.Trim) != 0) f++;
        while (l >= f && (_runs[l].Cls & CharClass.Trim) != 0) l--;
        if (f > l) { _count = s; return; } // only punctuation: no word, keep the join state
        int maskCount = 0;
        for (int k = l + 1; k < e; k++) maskCount = _runs[k].Cls == (CharClass.Wild | CharClass.Trim) ? maskCount + _runs[k].Count : -1000;
        bool exactTail = f == l && maskCount >= 2 && _runs[f].Count == 1 && _letters > 0 && _digits == 0;
        int n = l - f + 1;
        if (f != s) _runs.Slice(f, n).CopyTo(_runs.Slice(s));
        _count = s + n;
        if (exactTail)
        {
            int tailStart = _runs[l + 1].Start, tailEnd = _runs[e - 1].End;
            _runs[_count++] = new Run { Cls = CharClass.Wild, Count = maskCount, Start = tailStart, End = tailEnd, Flags = Run.Exact };
        }
        if (_digits > 0) DigitRules(s);
        bool single = _count - s == 1 && _runs[s].Count == 1 && (_runs[s].Cls & CharClass.LetterBits) != 0;
        // A 1-2 letter fragment after two or more spaced single letters finishes the word ("f u ck").
        int gap = s >= 2 ? GapKind(_prevEnd, _runs[s].Start) : 0;
        bool shortTail = !single && _groupSingles >= 2 && _count - s <= 2 && _runs[_count - 1].End - _runs[s].Start <= 2
                         && gap != 0 && gap == _groupGap;
        if (shortTail)
        {
            _runs.Slice(s, _count - s).CopyTo(_runs.Slice(s - 1));
            _count--;
            for (int k = s - 1; k < _count; k++) _runs[k].Flags |= Run.Joined;
            _runs[s - 2].Flags |= Run.Joined;
            if (_runs[s - 2].Cls == _runs[s - 1].Cls)
            {
                _runs[s - 2].Count += _runs[s - 1].Count; _runs[s - 2].End = _runs[s - 1].End;
                _runs.Slice(s, _count - s).CopyTo(_runs.Slice(s - 1));
                _count--;
            }
            _groupSingles = 0; _prevSingle = false;
            _prevEnd = _runs[_count - 1].End;
            _runs[_count++] = new Run { Cls = Run.Sep, Count = 1, Start = _prevEnd, End = _prevEnd };
            return;
        }
        bool joinedNow = false;
        // When the gap changes, the group's last letter opens a new spelled-out word: "a b_i_t_c_h",
        // "I'm a d-o-u-c-h-e" (lone words before it were joined by spaces). Split it off the old group.
        if (single && _prevSingle && _groupSingles >= 2 && gap != 0 && gap != _groupGap && Unjoin(s, _groupSingles == 2)) { s++; _groupSingles = 1; }
        // Spelled-out words are short; capping the group keeps one word inside a run window.
        // One spelled-out word keeps one kind of gap: "W-e A-r-e" is two words, not "wear e".
        if (single && _prevSingle && _groupSingles < MaxJoined && gap != 0 && (_groupSingles < 2 || gap == _groupGap))
        {
            joinedNow = true;
            _groupGap = gap;
            // Drop the Sep between the previous single letter and this one: they form one word.
            var cur = _runs[s];
            ref var prev = ref _runs[s - 2];
            prev.Flags |= Run.Joined;
            cur.Flags |= Run.Joined;
            if (prev.Cls == cur.Cls) { prev.Count++; prev.End = cur.End; _count = s - 1; }
            else { _runs[s - 1] = cur; _count = s; }
        }
        _groupSingles = !single ? 0 : _prevSingle && _groupSingles > 0 && joinedNow ? _groupSingles + 1 : 1;
        _prevSingle = single;
        _prevEnd = _runs[_count - 1].End;
        _runs[_count++] = new Run { Cls = Run.Sep, Count = 1, Start = _prevEnd, End = _prevEnd };
    }

    /// <summary>Put back the Sep before the last letter of a group ending at Sep s-1 (unless it was merged into one run).</summary>
    private bool Unjoin(int s, bool groupOfTwo)
    {
        if (s < 3 || _runs[s - 3].IsSep || _runs[s - 2].Count != 1) return false;
        _runs.Slice(s - 2, _count - (s - 2)).CopyTo(_runs.Slice(s - 1));
        _count++;
        int end = _runs[s - 3].End;
        _runs[s - 2] = new Run { Cls = Run.Sep, Count = 1, Start = end, End = end };
        if (groupOfTwo) _runs[s - 3].Flags &= unchecked((byte)~Run.Joined);
        _runs[s - 1].Flags &= unchecked((byte)~Run.Joined);
        return true;
    }

    /// <summary>
    /// Length of a '-', '_' or '.' run that masks letters inside a word (f---ing, f..k, sh-t, f-ck), else 0.
    /// A lone hyphen is a mask only between short fragments, so hyphenated words (Moby-Dick) still split.
    /// Punctuation between real words is never a mask: a run of dots must sit in a short stem and be followed
    /// by a letter ("f..k", not "behold......you" or "O.T.."), and a dash between two single letters spells a
    /// word out ("W-e A-r-e", "f-u-c-k": the letters are joined by the single-letter rule, not by a hidden letter).
    /// </summary>
    private readonly int InWordMask(int i, char c, bool tokenIsOneLetter)
    {
        int n = 1;
        while (i + n < _text.Length && _text[i + n] == c) n++;
        int left = 0;
        while (i - 1 - left >= 0 && WordChar(_text[i - 1 - left]) && left < 4) left++;
        if (n >= 2)
        {
            if (c != '.') return n;
            int after = 0;
            while (i + n + after < _text.Length && WordChar(_text[i + n + after]) && after < 6) after++;
            return left <= 3 && after is >= 1 and <= 5 ? n : 0; // f..k, fu..ing; not who...exemplified
        }
        if (c == '.') return 0;
        if (left is < 1 or > 3) return 0;
        int right = 0;
        while (i + 1 + right < _text.Length && WordChar(_text[i + 1 + right]) && right < 4) right++;
        if (right is < 1 or > 3) return 0;
        return left == 1 && right == 1 && tokenIsOneLetter ? 0 : 1;
    }

    /// <summary>
    /// Digits are leet only in words that are mostly letters: more digits than letters is a number
    /// (1990s, M40, 70th stays "toth"). A digit may also stand for a vowel (f4cking) only strictly inside
    /// a word of 3+ letters that outnumber its digits, never at an edge (SH1, J13).
    /// </summary>
    private void DigitRules(int s)
    {
        if (_digits > _letters)
        {
            for (int k = s; k < _count; k++) _runs[k].Cls = CharClass.Other;
            return;
        }
        bool vowelOk = _letters >= 3 && _letters > _digits;
        for (int k = s; k < _count; k++)
        {
            if ((_runs[k].Cls & CharClass.Digit) == 0) continue;
            // A digit hides one letter, never several: its look-alike or (strictly inside the word) a vowel
            // (f4ck, F00k). As a free mask it joined ordinary words into swear words ("b4by" read as "booby").
            _runs[k].Cls &= ~CharClass.Wild;
            if (vowelOk && k != s && k != _count - 1) _runs[k].Cls |= CharClass.Vowels;
        }
    }

    /// <summary>Length of an HTML tag at i ("&lt;b&gt;", "&lt;/b&gt;", "&lt;br/&gt;", "&lt;span class=x&gt;"), else 0.</summary>
    private readonly int HtmlTagLength(int i)
    {
        int j = i + 1, end = Math.Min(_text.Length, i + 64);
        if (j < end && _text[j] == '/') j++;
        if (j >= end || !char.IsAsciiLetter(_text[j])) return 0;
        while (j < end && char.IsAsciiLetterOrDigit(_text[j])) j++;
        while (j < end && _text[j] is not ('>' or '<' or '\n')) j++;
        return j < end && _text[j] == '>' ? j - i + 1 : 0;
    }

    private static bool WordChar(char ch) => ch is not ('-' or '_') && (CharClass.Of(ch) & ~CharClass.Ignore) != 0;

    /// <summary>
    /// Single letters join across 1-3 chars of space or light punctuation, never across a line break.
    /// Returns the gap's spelling as a small code (0: not joinable) so a group can insist on one kind of gap.
    /// </summary>
    private readonly int GapKind(int from, int to)
    {
        int len = to - from;
        if (len is < 1 or > 3) return 0;
        int kind = 0;
        foreach (var ch in _text.Slice(from, len))
        {
            if (ch is not (' ' or '.' or '-' or '_' or ',' or '/' or '+' or '~' or ':' or '*' or '\u00A0')) return 0;
            kind = kind * 128 + (ch == '\u00A0' ? ' ' : ch);
        }
        return kind;
    }

    /// <summary>Move runs [from, Count) to the front (after matching the earlier ones).</summary>
    public void Compact(int from)
    {
        int n = _count - from;
        _runs.Slice(from, n).CopyTo(_runs);
        _count = n;
        if (_tokStart >= 0) _tokStart -= from;
    }
}
