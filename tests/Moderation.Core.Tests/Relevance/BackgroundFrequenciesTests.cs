using Moderation.Core.Relevance;

namespace Moderation.Core.Tests.Relevance;

public sealed class BackgroundFrequenciesTests
{
    [Fact]
    public void The_training_collections_frequencies_ship_with_the_models()
    {
        var background = BackgroundFrequencies.Embedded;
        Assert.True(background.DocumentCount >= 40);
        // A word many of the local and political articles use; a made-up one in none.
        Assert.True(background.DocumentFrequency(TextAnalysis.TermCounts("council").Keys.Single()) > 5);
        Assert.Equal(0, background.DocumentFrequency("zzqxwv"));
    }

    [Fact]
    public void Live_counts_add_to_the_background()
    {
        var live = new InMemoryDocumentFrequencies();
        live.Add(["bridge", "detour"]);
        var background = new InMemoryDocumentFrequencies();
        background.Add(["bridge"]);
        background.Add(["council"]);
        var combined = new CombinedFrequencies(live, background);
        Assert.Equal(3, combined.DocumentCount);
        Assert.Equal(2, combined.DocumentFrequency("bridge"));
        Assert.Equal(1, combined.DocumentFrequency("council"));
        Assert.Equal(1, combined.DocumentFrequency("detour"));
    }
}
