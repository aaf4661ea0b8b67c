using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

/// <summary>The clean-corpus measuring tool, on small texts in the WordNet and word-list formats handed in as
/// <see cref="TrainingFile"/>s (the real corpora are opened and measured by the CLI only).</summary>
public sealed class CleanCorpusTests
{
    private static TrainingFile Text(string name, params string[] lines) => new(name, () => new StringReader(string.Join("\n", lines)));

    [Fact]
    public void Glosses_are_the_text_after_the_bar_and_licence_lines_are_skipped()
    {
        var noun = Text("data.noun",
            "  1 This software and database is being provided to you, the LICENSEE | not a gloss",
            "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived to exist  ",
            "00002000 03 n 01 jackass 0 000 | a foolish person; \"he is a complete jackass\"");
        var verb = Text("data.verb", "02000001 29 v 01 run 0 000 | move fast by using one's feet");
        Assert.Equal(["that which is perceived to exist", "a foolish person; \"he is a complete jackass\"", "move fast by using one's feet"],
            CleanCorpus.WordNetGlosses([noun, Text("data.adj"), verb]));
    }

    [Fact]
    public void Word_list_skips_empty_lines()
    {
        Assert.Equal(["aardvark", "Abe's"], CleanCorpus.WordList(Text("words", "aardvark", "", "Abe's", "")));
    }

    [Fact]
    public void Items_holding_a_listed_word_or_its_form_are_counted_apart_and_flagged_clean_items_are_listed()
    {
        var scorer = new ProfanityScorer(MatcherTests.Matcher, null);
        string[] items = ["a quiet river", "bitchier", "Fuck's", "sons of bitches", "an old fishmonger", "what a f*cking mess"];
        var report = CleanCorpus.Evaluate("test", scorer, items);
        Assert.Equal(6, report.Items);
        Assert.Equal(3, report.WithListedWord);          // bitchier (a form), Fuck's (possessive), sons of bitches (plural compound)
        Assert.Equal(3, report.FlaggedWithListedWord);
        Assert.Equal(["what a f*cking mess"], report.FlaggedClean); // masked: no plain listed word, so it counts as a false positive here
        Assert.Equal(1.0 / 3, report.FalsePositiveRate, 6);
    }
}
