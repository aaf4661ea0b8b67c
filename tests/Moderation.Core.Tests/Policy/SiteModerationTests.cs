using Moderation.Core.Policy;

namespace Moderation.Core.Tests.Policy;

/// <summary>The two-way table of docs/CONNECTORS.md, row by row.</summary>
public sealed class SiteModerationTests
{
    [Theory]
    [InlineData("hidden", "approved", "hold", "hold")]
    [InlineData("rejected", "approved", "trash", "trash")]
    [InlineData("rejected", "approved", "hold", "hold")]
    [InlineData("approved", "hold", "hold", "approved")]
    [InlineData("pending", "approved", "hold", "approved")]   // undo: what the site had
    [InlineData("published", "hold", "hold", "hold")]         // held at the site by its own moderation: stays held
    [InlineData("received", "approved", "hold", null)]        // being scored again: wait for the score
    [InlineData("removed_at_source", "trash", "hold", null)]
    public void What_the_site_should_have_for_each_status_here(string status, string siteStatus, string rejectAs, string? wanted) =>
        Assert.Equal(wanted, SiteModeration.WantedOnSite(status, siteStatus, rejectAs));

    [Theory]
    [InlineData("pending", "approved", "trash", SiteEffect.Remove)]
    [InlineData("hidden", "hold", "spam", SiteEffect.Remove)]
    [InlineData("published", "approved", "trash", SiteEffect.Remove)]
    [InlineData("rejected", "hold", "trash", SiteEffect.None)]          // already rejected here: recorded only
    [InlineData("removed_at_source", "trash", "approved", SiteEffect.Restore)]
    [InlineData("removed_at_source", "trash", "hold", SiteEffect.Restore)]
    [InlineData("removed_at_source", "trash", "spam", SiteEffect.None)]
    [InlineData("pending", "hold", "approved", SiteEffect.ApprovedWhileQueued)]
    [InlineData("hidden", "hold", "approved", SiteEffect.ApprovedWhileQueued)]
    [InlineData("published", "hold", "approved", SiteEffect.None)]      // released at the site: visible again, nothing to queue
    [InlineData("approved", "approved", "hold", SiteEffect.None)]       // held there after approval here: recorded; the approval here stands
    public void What_a_change_on_the_site_does_here(string status, string before, string now, SiteEffect effect) =>
        Assert.Equal(effect, SiteModeration.OnSiteChange(status, before, now));

    [Theory]
    [InlineData("published", false, true)]
    [InlineData("published", true, false)]
    [InlineData("pending", true, false)]
    [InlineData("approved", true, true)]
    [InlineData("removed_at_source", false, false)]
    public void A_comment_held_at_its_source_is_visible_only_once_approved(string status, bool heldAtSource, bool visible) =>
        Assert.Equal(visible, CommentStatus.IsVisible(status, heldAtSource));
}
