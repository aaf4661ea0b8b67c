using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Storage.Sources;
using Moderation.Worker.Connectors.Feed;
using Moderation.Worker.Connectors.WordPress;

namespace Moderation.Worker.Connectors;

/// <summary>Makes the connector for each configured source.</summary>
public sealed class SourceConnectors(IHttpClientFactory clients, IngestService ingest, SourceRepository sourceRows, SiteStatusRepository siteStatus,
    IOptions<SourcesOptions> sources, IOptions<ConnectorOptions> options, TimeProvider time, ILoggerFactory logs)
{
    public IReadOnlyList<SourceOptions> Configured => sources.Value.Sources;

    /// <summary>The source's HTTP client: its credentials, the shared retries and time-outs.</summary>
    public SourceHttp Http(SourceOptions source) => new(clients.CreateClient(SourceHttp.ClientName), source);

    public ISourceConnector Create(SourceOptions source)
    {
        var http = Http(source);
        return source.Type switch
        {
            SourceOptions.WordPress => new WordPressConnector(source, http, ingest, sourceRows, siteStatus, options.Value, time, logs.CreateLogger<WordPressConnector>()),
            SourceOptions.Feed => new FeedConnector(source, http, ingest, sourceRows, options.Value, time, logs.CreateLogger<FeedConnector>()),
            _ => throw new InvalidOperationException($"unknown source type '{source.Type}'"),
        };
    }
}
