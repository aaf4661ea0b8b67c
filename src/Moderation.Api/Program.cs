using Moderation.Api.Hosting;

// The content root (wwwroot, appsettings.json) is the build output, wherever the service is started from;
// relative paths in configuration (Moderation:Database) still follow the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddModeration();

var app = builder.Build();
await app.UseModerationAsync();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
