using Moderation.Worker.Connectors;

namespace Moderation.Worker.Tests.Connectors;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<p>Hello &amp; welcome</p>\n<p>Second</p>\n", "Hello & welcome\n\nSecond")]
    [InlineData("<p>one<br />\ntwo</p>", "one\ntwo")]
    [InlineData("It&#8217;s &#8220;fine&#8221; &hellip;", "It\u2019s \u201cfine\u201d \u2026")]
    [InlineData("<p>a   lot\tof\n   space</p>", "a lot of space")]
    [InlineData("<ul><li>first</li><li>second</li></ul><p>after</p>", "first\nsecond\n\nafter")]
    [InlineData("<script>alert('x')</script><style>p{}</style><p>kept</p>", "kept")]
    [InlineData("<!-- wp:paragraph --><p>block</p><!-- /wp:paragraph -->", "block")]
    [InlineData("3 < 4 and 5 > 2, AT&T", "3 < 4 and 5 > 2, AT&T")]
    [InlineData("<a href=\"https://x.example/?a=1&amp;b=>2\">link</a> text", "link text")]
    [InlineData("&lt;b&gt;not a tag&lt;/b&gt;", "<b>not a tag</b>")]
    [InlineData("", "")]
    public void Rendered_html_becomes_text_with_paragraphs_kept(string html, string text) => Assert.Equal(text, HtmlText.ToText(html));

    [Theory]
    [InlineData("<p>Buy at <a href=\"http://cheap-watches.example/deals\" rel=\"nofollow ugc\">my store</a>!</p>", "Buy at my store (http://cheap-watches.example/deals)!")]
    [InlineData("<a href='https://x.example/?a=1&amp;b=2'>here</a> and <a href=https://y.example>there</a>", "here (https://x.example/?a=1&b=2) and there (https://y.example)")]
    [InlineData("<a href=\"https://www.example.org/\" rel=\"nofollow ugc\">https://www.example.org/</a>", "https://www.example.org/")]
    [InlineData("<a href=\"http://example.org/page\">example.org/page</a>", "example.org/page")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a> <a href=\"#top\">top</a> <a>bare</a>", "click top bare")]
    [InlineData("<a href=\"https://s.example/\"><img src=\"x.png\"></a>", "(https://s.example/)")]
    public void Comments_keep_where_their_links_go(string html, string text) => Assert.Equal(text, HtmlText.ToText(html, keepLinks: true));

    [Fact]
    public void Articles_drop_link_targets() =>
        Assert.Equal("Read the report.", HtmlText.ToText("<p>Read <a href=\"https://city.example/report.pdf\">the report</a>.</p>"));

    [Fact]
    public void Stored_content_keeps_its_newlines_as_breaks() =>
        Assert.Equal("line one\nline two\n\nnext paragraph", HtmlText.ToText("line one\r\nline two\n\n\nnext  paragraph", newlinesAreBreaks: true));
}
