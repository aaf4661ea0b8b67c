using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderation.Worker.Connectors;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>The connectors' HTTP client logs at Warning unless the configuration asks for more.</summary>
public sealed class ConnectorLoggingTests
{
    const string HttpCategory = "System.Net.Http.HttpClient." + SourceHttp.ClientName + ".LogicalHandler";

    static ILoggerFactory Logs(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging(l => l.AddConfiguration(config.GetSection("Logging")).AddProvider(new NullProvider()).SetMinimumLevel(LogLevel.Information))
            .AddConnectors(config, runPollers: false)
            .BuildServiceProvider().GetRequiredService<ILoggerFactory>();
    }

    [Fact]
    public void Requests_are_not_logged_at_information_by_default()
    {
        var logs = Logs(new() { ["Logging:LogLevel:Default"] = "Information" });

        Assert.False(logs.CreateLogger(HttpCategory).IsEnabled(LogLevel.Information));
        Assert.True(logs.CreateLogger(HttpCategory).IsEnabled(LogLevel.Warning));
        Assert.False(logs.CreateLogger("Polly").IsEnabled(LogLevel.Information));
        Assert.True(logs.CreateLogger("Moderation.Worker.Connectors.SourcePoller").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("System.Net.Http.HttpClient")]
    [InlineData("System.Net.Http.HttpClient." + SourceHttp.ClientName)]
    public void Requests_are_logged_when_the_configuration_asks(string key)
    {
        var logs = Logs(new() { ["Logging:LogLevel:Default"] = "Information", [$"Logging:LogLevel:{key}"] = "Debug" });

        Assert.True(logs.CreateLogger(HttpCategory).IsEnabled(LogLevel.Debug));
    }

    /// <summary>A provider that would write everything: what reaches it is what the filters let through.</summary>
    sealed class NullProvider : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) { }
        public void Dispose() { }
    }
}
