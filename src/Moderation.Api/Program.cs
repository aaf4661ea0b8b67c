using Moderation.Api.Hosting;

// The content root (wwwroot, appsettings.json) is the build output, wherever the service is started from;
// relative paths in configuration (Moderation:Database) still follow the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddModeration();

var app = builder.Build();
try
{
    await app.UseModerationAsync();
}
catch (StartupException e)
{
    // A configuration the operator must fix: one clear line and exit code 1, not an unhandled-exception abort.
    Console.Error.WriteLine($"Moderation service cannot start: {e.Message}");
    return 1;
}
app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
