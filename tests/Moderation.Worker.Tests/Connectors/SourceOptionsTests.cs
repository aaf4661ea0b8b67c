using Moderation.Worker.Connectors;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>What start-up says about a source's write-back settings (the service refuses to start with the key named).</summary>
public sealed class SourceOptionsTests
{
    static SourceOptions WordPress(string? user = "editor", string? password = "pw") =>
        new() { Type = "wordpress", Url = "https://courier.example", User = user, AppPassword = password };

    static string? Problem(SourceOptions s) => new SourcesOptions { Sources = [s] }.Problem();

    [Fact]
    public void Write_back_is_on_with_credentials_and_off_without_or_when_turned_off()
    {
        Assert.True(WordPress().WritesBack);
        Assert.False(WordPress(null, null).WritesBack);
        var off = WordPress();
        off.WriteBack = false;
        Assert.False(off.WritesBack);
        Assert.Null(Problem(off));
    }

    [Fact]
    public void Write_back_asked_for_without_credentials_or_on_a_feed_is_refused()
    {
        var anonymous = WordPress(null, null);
        anonymous.WriteBack = true;
        Assert.Equal("Moderation:Sources:0:WriteBack needs a wordpress source with User and AppPassword", Problem(anonymous));
        var feed = WordPress();
        feed.Type = "feed";
        feed.WriteBack = true;
        Assert.Contains(":WriteBack", Problem(feed));
    }

    [Theory]
    [InlineData("hold", true)]
    [InlineData("trash", true)]
    [InlineData("spam", true)]
    [InlineData("delete", false)]
    [InlineData("approved", false)]
    public void Reject_as_takes_hold_trash_or_spam(string rejectAs, bool valid)
    {
        var source = WordPress();
        source.RejectAs = rejectAs;
        Assert.Equal(valid, Problem(source) is null);
    }
}
