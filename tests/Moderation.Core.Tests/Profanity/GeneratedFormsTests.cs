using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

/// <summary>Every form of a listed word: inflections, plural compounds and each evasion family, generated from the lexicon.</summary>
public class GeneratedFormsTests
{
    private static readonly ProfanityMatcher Matcher = MatcherTests.Matcher;

    [Fact]
    public void Recall_on_generated_forms_of_every_listed_term_is_at_least_99_percent()
    {
        var forms = LexiconForms.Generate(Matcher.Lexicon).ToList();
        var missed = forms.Where(f => !Matcher.ContainsProfanity(f.Text)).ToList();
        double recall = 1 - (double)missed.Count / forms.Count;
        Assert.True(forms.Count > 5000, $"only {forms.Count} generated forms");
        Assert.True(recall >= 0.99, $"recall {recall:F4}; missed: {string.Join("; ", missed.Take(30).Select(m => $"[{m.Family}] {m.Text}"))}");
    }

    [Fact]
    public void Every_evasion_family_is_generated_and_each_is_caught()
    {
        var byFamily = LexiconForms.Generate(Matcher.Lexicon).GroupBy(f => f.Family).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var family in new[] { "inflection", "plural compound", "leet digit", "spacing", "dots", "dashes", "mask", "homoglyph", "repeat", "zero-width", "html entity" })
        {
            Assert.True(byFamily.ContainsKey(family), $"no {family} forms generated");
            var forms = byFamily[family];
            double recall = (double)forms.Count(f => Matcher.ContainsProfanity(f.Text)) / forms.Count;
            Assert.True(recall >= 0.98, $"{family}: recall {recall:F3}");
        }
    }

    [Theory]
    [InlineData("twat", "twatting")]
    [InlineData("shit", "shitting")]
    [InlineData("bitchy", "bitchiest")]
    [InlineData("whore", "whoring")]
    [InlineData("son of a bitch", "sons of bitches")]
    [InlineData("piece of shit", "pieces of shit")]
    [InlineData("bitch", "bitches")]
    public void Inflections_follow_english_spelling(string term, string form) => Assert.Contains(form, Inflections.Of(term));

    [Theory]
    [InlineData("stop twatting about, the pair of you")]
    [InlineData("you lot are shitting yourselves")]
    [InlineData("a pack of sons of bitches")]
    [InlineData("what a bu7t")]
    [InlineData("total a5shole")]
    [InlineData("a p*ofter")]
    public void Forms_and_split_doubles_that_were_missed_are_found(string text) => Assert.True(Matcher.ContainsProfanity(text), text);

    [Theory]
    [InlineData("He was cocky and cocked his hat.")]
    [InlineData("The audience began to titter.")]
    [InlineData("Spread the butter thinly.")]
    [InlineData("She was tardy again.")]
    [InlineData("The fishmonger and the monger.")]
    [InlineData("It was the bloodiest battle of the war.")]
    [InlineData("The evidence was damning.")]
    public void Forms_that_are_ordinary_words_stay_clean(string text) => Assert.Empty(Matcher.FindMatches(text));
}
