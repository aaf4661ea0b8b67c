using System.Text;
using Moderation.Worker.Connectors.Imports;

namespace Moderation.Worker.Tests.Connectors;

public sealed class ImportTests : IAsyncLifetime
{
    static readonly string SampleExport = Path.Combine(AppContext.BaseDirectory, "Connectors", "Data", "sample-export.xml");
    readonly ConnectorHarness h = new("feed", new Uri("http://127.0.0.1:9/unused"));

    public Task InitializeAsync() => h.InitializeAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    async Task<ImportReport> ImportAsync(string path, ImportFormat format, string prefix = "")
    {
        await using var file = File.OpenRead(path);
        return await new Importer(h.Ingest).ImportAsync(file, format, prefix, CancellationToken.None);
    }

    Task<ImportReport> ImportAsync(string text) =>
        new Importer(h.Ingest).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), ImportFormat.Ndjson, "", CancellationToken.None);

    [Fact]
    public async Task A_wordpress_export_imports_its_posts_and_comments_completely()
    {
        var report = await ImportAsync(SampleExport, ImportFormat.Wxr);

        Assert.True(report.Completed);
        Assert.Equal(0, report.Errors);
        Assert.Equal((2, 4), (report.ArticlesCreated, report.CommentsCreated));
        await h.AssertEachOnceAsync(4);
        var article = (await h.Storage.Articles.GetAsync("12", default))!;
        Assert.Equal("Council approves bike lanes on Main Street", article.Title);
        Assert.Equal("The city council voted 7\u20132 on Tuesday to build protected bike lanes along Main Street.\n\nConstruction starts in March.", article.Body);
        Assert.Equal("https://courier.example/2026/11/20/bike-lanes/", article.Url);
        var first = (await h.Storage.Comments.GetAsync("101", default))!;
        Assert.Equal("Protected lanes are overdue & welcome.\nGlad the council voted for them.\n\nSecond paragraph with emphasis.", first.Text);
        Assert.Equal(("12", "Jane Cyclist"), (first.ArticleId, first.AuthorName));
        Assert.StartsWith("2026-11-20T09:05:00", first.PostedAt);
        var held = (await h.Storage.Comments.GetAsync("102", default))!;
        Assert.Equal(("101", "user-7"), (held.ParentId, held.AuthorId));
        Assert.Null(await h.Storage.Comments.GetAsync("103", default)); // spam
        Assert.Null(await h.Storage.Comments.GetAsync("104", default)); // pingback
        Assert.Null(await h.Storage.Articles.GetAsync("2", default));   // a page without comments
        Assert.Equal("15", (await h.Storage.Comments.GetAsync("111", default))!.ArticleId);
    }

    [Fact]
    public async Task Importing_the_same_export_again_adds_nothing()
    {
        await ImportAsync(SampleExport, ImportFormat.Wxr, "courier:");

        var again = await ImportAsync(SampleExport, ImportFormat.Wxr, "courier:");

        Assert.Equal((0, 0, 0, 2, 4), (again.ArticlesCreated, again.CommentsCreated, again.CommentsEdited, again.ArticlesUnchanged, again.CommentsUnchanged));
        await h.AssertEachOnceAsync(4);
        Assert.Equal("courier:12", (await h.Storage.Comments.GetAsync("courier:102", default))!.ArticleId);
    }

    [Fact]
    public async Task An_ndjson_file_imports_articles_and_comments_and_reports_bad_lines_by_number()
    {
        const string file = """
            {"type":"article","articleId":"a1","title":"Bike lanes","body":"The council voted for bike lanes."}
            {"articleId":"a1","commentId":"c1","text":"Good news for cyclists.","authorName":"Jane","postedAt":"2026-11-25T10:00:00Z"}

            {"type":"comment","articleId":"a1","commentId":"c2","text":"A reply","parentId":"c1"}
            {"articleId":"nope","commentId":"c3","text":"On an article nobody sent"}
            {"articleId":"a1","commentId":"c4",
            {"articleId":"a1","commentId":"c5","text":""}
            """;

        var report = await ImportAsync(file);

        Assert.Equal((1, 2, 3), (report.ArticlesCreated, report.CommentsCreated, report.Errors));
        Assert.Equal([5L, 6L, 7L], report.FirstErrors.Select(e => e.Line));
        Assert.Contains("no article 'nope'", report.FirstErrors[0].Message);
        Assert.Equal("c1", (await h.Storage.Comments.GetAsync("c2", default))!.ParentId);

        var again = await ImportAsync(file);
        Assert.Equal((0, 0, 1, 2), (again.ArticlesCreated, again.CommentsCreated, again.ArticlesUnchanged, again.CommentsUnchanged));
        await h.AssertEachOnceAsync(2);
    }

    [Fact]
    public async Task A_changed_text_in_a_later_import_is_an_edit()
    {
        await ImportAsync("""{"type":"article","articleId":"a1","title":"T","body":"B"}""" + "\n" + """{"articleId":"a1","commentId":"c1","text":"first"}""");

        var report = await ImportAsync("""{"articleId":"a1","commentId":"c1","text":"second"}""");

        Assert.Equal(1, report.CommentsEdited);
        Assert.Equal(2, (await h.Storage.Comments.GetAsync("c1", default))!.TextVersion);
    }

    [Fact]
    public async Task A_broken_export_imports_what_came_before_the_break_and_says_where_it_stopped()
    {
        var text = await File.ReadAllTextAsync(SampleExport);
        var broken = text[..text.IndexOf("<item>\n\t\t<title><![CDATA[About us", StringComparison.Ordinal)] + "<item><title>cut here";

        var report = await new Importer(h.Ingest).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(broken)), ImportFormat.Wxr, "", default);

        Assert.False(report.Completed);
        Assert.Equal(2, report.CommentsCreated);
        Assert.True(report.FirstErrors.Single().Line > 1);
    }

    [Theory]
    [InlineData(ImportFormat.Ndjson)]
    [InlineData(ImportFormat.Wxr)]
    public async Task Readers_stream_a_file_far_larger_than_what_they_hold(ImportFormat format)
    {
        // An endless file: a reader that loaded it whole would never return. Take the first records and stop.
        using var endless = new EndlessFile(format);
        var reader = format == ImportFormat.Wxr ? WxrReader.ReadAsync(endless, "", default) : NdjsonReader.ReadAsync(endless, "", default);

        var first = await reader.Take(1000).ToListAsync();

        Assert.Equal(1000, first.Count);
        Assert.All(first, r => Assert.Null(r.Error));
        Assert.InRange(endless.BytesRead, 1, 1_000_000);
    }

    /// <summary>A read-only stream of generated records that never ends.</summary>
    sealed class EndlessFile(ImportFormat format) : Stream
    {
        byte[] pending = Encoding.UTF8.GetBytes(format == ImportFormat.Wxr
            ? "<?xml version=\"1.0\"?><rss xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>"
              + "<item><title>T</title><wp:post_id>1</wp:post_id>"
            : "{\"type\":\"article\",\"articleId\":\"a1\",\"title\":\"T\",\"body\":\"B\"}\n");
        int offset;
        long next = 1;

        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int start, int count)
        {
            if (offset == pending.Length)
            {
                var id = next++;
                pending = Encoding.UTF8.GetBytes(format == ImportFormat.Wxr
                    ? $"<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_content>comment {id}</wp:comment_content></wp:comment>\n"
                    : $"{{\"articleId\":\"a1\",\"commentId\":\"c{id}\",\"text\":\"comment {id}\"}}\n");
                offset = 0;
            }
            var n = Math.Min(count, pending.Length - offset);
            Array.Copy(pending, offset, buffer, start, n);
            offset += n;
            BytesRead += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int start, int count, CancellationToken ct) => Task.FromResult(Read(buffer, start, count));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var array = new byte[buffer.Length];
            var n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long o, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int o, int count) => throw new NotSupportedException();
    }
}
