using Moderation.Core.Relevance;

namespace Moderation.Core.Tests.Relevance;

public class TextAnalysisTests
{
    [Fact]
    public void Words_keep_inner_apostrophes_and_hyphens()
    {
        Assert.Equal(["Riverton's", "bike-share", "costs", "2"], TextAnalysis.Words("Riverton's bike-share costs $2!"));
    }

    [Fact]
    public void Terms_drop_stop_words_and_stem_lightly()
    {
        Assert.Equal(["library", "clos", "sunday"], TextAnalysis.Terms("The libraries are closing on Sundays"));
        Assert.Equal(TextAnalysis.Terms("closed station"), TextAnalysis.Terms("closing stations"));
    }

    [Fact]
    public void Accents_are_folded_without_icu()
    {
        Assert.Equal(TextAnalysis.Terms("cafe"), TextAnalysis.Terms("Café"));
    }

    [Fact]
    public void Sentences_split_on_terminators_and_lines()
    {
        var s = TextAnalysis.Sentences("First one. Second one!\nThird line without stop");
        Assert.Equal(["First one.", "Second one!", "Third line without stop"], s);
    }

    [Theory]
    [InlineData("Great article, thanks!", true)]
    [InlineData("Exactly.", true)]
    [InlineData("Well said.", true)]
    [InlineData("Thank you for this piece", true)]
    [InlineData("First!", false)]
    [InlineData("Anyone catch the game last night?", false)]
    [InlineData("", false)]
    public void Generic_replies_are_recognised(string text, bool generic)
    {
        Assert.Equal(generic, GenericReplies.IsGeneric(text, 8));
    }
}
