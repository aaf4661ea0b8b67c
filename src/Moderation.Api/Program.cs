using Moderation.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddModeration();

var app = builder.Build();
await app.UseModerationAsync();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
