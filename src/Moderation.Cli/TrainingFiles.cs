using Moderation.Core;

namespace Moderation.Cli;

/// <summary>
/// Where the CLI turns file-system paths into the <see cref="TrainingFile"/>s Core reads (Core never opens a path:
/// issue 18). Names are the paths as found, so ordering and messages stay as they were.
/// </summary>
internal static class TrainingFiles
{
    public static TrainingFile Open(string path) => new(path, () => File.OpenText(path));

    /// <summary>Every file of the folder matching the pattern (a missing folder throws DirectoryNotFoundException).</summary>
    public static List<TrainingFile> Folder(string dir, string pattern) =>
        Directory.GetFiles(dir, pattern).OrderBy(f => f, StringComparer.Ordinal).Select(Open).ToList();

    /// <summary>The forum replies at the path, or null (with one line saying where they were looked for) when absent.</summary>
    public static TrainingFile? Optional(string? path, TextWriter log)
    {
        if (path is not null && File.Exists(path)) return Open(path);
        log.WriteLine($"not found: {path ?? "(no path)"}");
        return null;
    }
}
