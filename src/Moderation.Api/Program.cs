using Moderation.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
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
