namespace Moderation.Core;

/// <summary>
/// A data file handed to Core by its host: a name (for ids and messages) and a way to open it as text. Core never
/// resolves file-system paths (issue 18): the CLI finds the files, tests may hand in strings. <see cref="Open"/> is
/// called once per read, lazily, so a long file is streamed and closed when its reader is done.
/// </summary>
public sealed record TrainingFile(string Name, Func<TextReader> Open)
{
    /// <summary>Every non-empty line of the file, read lazily (as File.ReadLines did).</summary>
    public IEnumerable<string> Lines()
    {
        using var reader = Open();
        while (reader.ReadLine() is { } line) yield return line;
    }
}
