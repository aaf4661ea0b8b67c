using Microsoft.Extensions.Options;

namespace Moderation.Worker.Connectors;

/// <summary>One entry of <c>Moderation:Sources</c>: a site whose comments the service pulls by itself.</summary>
public sealed class SourceOptions
{
    public const string WordPress = "wordpress";
    public const string Feed = "feed";

    /// <summary>Names the source in <c>GET /api/sources</c> and keys its cursor; defaults to the URL's host and path.</summary>
    public string? Name { get; set; }

    /// <summary><c>wordpress</c> or <c>feed</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>WordPress: the site's address (the REST API is under <c>{Url}/wp-json/wp/v2/</c>). Feed: the feed's own URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>With <see cref="AppPassword"/>: HTTP Basic credentials (a WordPress application password; needed to read held comments).</summary>
    public string? User { get; set; }

    public string? AppPassword { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Put before every article and comment id from this source. Empty by default, so ids are the
    /// site's own and the site can ask <c>/api/comments/{its id}/visibility</c>; set it (e.g. <c>blog:</c>)
    /// when two sources could use the same numbers.
    /// </summary>
    public string IdPrefix { get; set; } = "";

    /// <summary>Where a new source starts reading (e.g. the date of a WXR export already imported); from the beginning when unset.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>
    /// WordPress tells no one when a comment is edited; comments newer than this are read again every
    /// <see cref="RescanInterval"/> so edits are noticed (and comments approved late, without credentials). Zero turns it off.
    /// </summary>
    public TimeSpan RescanWindow { get; set; } = TimeSpan.FromDays(2);

    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// WordPress: set the site's comment status from decisions made here (docs/CONNECTORS.md "Two ways"). On when
    /// credentials are set, unless set to false; true without credentials is a configuration error.
    /// </summary>
    public bool? WriteBack { get; set; }

    /// <summary>What a moderator's reject sets on the site: <c>hold</c> (default), <c>trash</c> or <c>spam</c>.</summary>
    public string RejectAs { get; set; } = Core.Policy.SiteStatus.Hold;

    public bool WritesBack => Type == WordPress && (WriteBack ?? HasCredentials) && HasCredentials;

    public bool HasCredentials => !string.IsNullOrEmpty(User) && !string.IsNullOrEmpty(AppPassword);

    public string Key => string.IsNullOrWhiteSpace(Name) && Uri.TryCreate(Url, UriKind.Absolute, out var uri)
        ? (uri.Authority + uri.AbsolutePath).TrimEnd('/')
        : Name ?? Url;
}

/// <summary>The sources, bound from <c>Moderation</c> (only its <c>Sources</c> array).</summary>
public sealed class SourcesOptions
{
    public List<SourceOptions> Sources { get; set; } = [];

    /// <summary>The first thing wrong with the configuration, or null.</summary>
    public string? Problem()
    {
        foreach (var (s, i) in Sources.Select((s, i) => (s, i)))
        {
            var at = $"Moderation:Sources:{i}";
            if (s.Type is not (SourceOptions.WordPress or SourceOptions.Feed)) return $"{at}:Type must be 'wordpress' or 'feed'";
            if (!Uri.TryCreate(s.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return $"{at}:Url must be an absolute http or https URL";
            if (string.IsNullOrEmpty(s.User) != string.IsNullOrEmpty(s.AppPassword)) return $"{at} needs both User and AppPassword, or neither";
            if (s.HasCredentials && uri.Scheme != "https" && !uri.IsLoopback) return $"{at}: credentials are only sent over https";
            if (s.WriteBack == true && (s.Type != SourceOptions.WordPress || !s.HasCredentials))
                return $"{at}:WriteBack needs a wordpress source with User and AppPassword";
            if (!Core.Policy.SiteStatus.RejectAs.Contains(s.RejectAs)) return $"{at}:RejectAs must be 'hold', 'trash' or 'spam'";
            if (s.PollInterval <= TimeSpan.Zero) return $"{at}:PollInterval must be positive";
            if (s.RescanWindow < TimeSpan.Zero || (s.RescanWindow > TimeSpan.Zero && s.RescanInterval <= TimeSpan.Zero))
                return $"{at}: RescanWindow must not be negative, and RescanInterval must be positive when it is set";
            if (s.IdPrefix.Length > 32 || !s.IdPrefix.All(c => c is >= '!' and <= '~')) return $"{at}:IdPrefix must be at most 32 printable ASCII characters";
        }
        var twice = Sources.GroupBy(s => s.Key).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? null : $"Moderation:Sources has two sources named '{twice.Key}'; give them distinct Name values";
    }
}

/// <summary>Bound from <c>Moderation:Connectors</c>: how the connectors talk HTTP.</summary>
public sealed class ConnectorOptions
{
    public const string Section = "Moderation:Connectors";

    /// <summary>One try of one request; a slower answer is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after a 429, a 5xx, a time-out or a broken connection.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones grow exponentially (with jitter). A Retry-After header wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Comments asked for per page (WordPress allows at most 100).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Largest response body read.</summary>
    public long MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Let sources be on loopback or a private network. On by default: a site on the same network as the
    /// service is normal, and sources are set in configuration by the operator, not through the API.
    /// False applies the webhooks' guard (GuardedHttp) to every connection, redirects included.
    /// </summary>
    public bool AllowPrivate { get; set; } = true;

    /// <summary>How often the write-back outbox is looked at when it was empty.</summary>
    public TimeSpan WriteBackPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The delay after a write-back's first failed attempt (after the request's own retries); it doubles each time.</summary>
    public TimeSpan WriteBackRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan WriteBackMaxBackoff { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Fails start-up with the first thing wrong in <c>Moderation:Sources</c>, named by its key.</summary>
sealed class SourcesValidation : IValidateOptions<SourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, SourcesOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
