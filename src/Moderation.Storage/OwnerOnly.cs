namespace Moderation.Storage;

/// <summary>
/// Files and folders that hold readers' words, names and secrets are made readable by the service's user only
/// (0600 / 0700), whatever the umask. On Windows, where Unix modes do not apply, the folder's ACL is left as it is.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and its parents) if missing; a folder it creates is owner-only.</summary>
    public static void CreateFolder(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, Folder);
    }

    public static void Restrict(string file)
    {
        if (!OperatingSystem.IsWindows() && System.IO.File.Exists(file)) System.IO.File.SetUnixFileMode(file, File);
    }
}
