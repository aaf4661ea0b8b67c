namespace Moderation.Core.Scoring;

public static class TextStats
{
    /// <summary>Words as a reader counts them: runs of letters or digits.</summary>
    public static int WordCount(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var ch in text)
        {
            var isWordChar = char.IsLetterOrDigit(ch);
            if (isWordChar && !inWord) count++;
            inWord = isWordChar;
        }
        return count;
    }
}
