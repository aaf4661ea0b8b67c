using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

/// <summary>Literal senses, non-words, and punctuation between real words (issue 16).</summary>
public class LiteralSenseTests
{
    private static readonly ProfanityScorer Scorer = ProfanityScorer.CreateDefault();

    [Theory]
    [InlineData("@#$%!")]
    [InlineData("$#!+")]
    [InlineData("@$$")]
    [InlineData("*** *** ***")]
    [InlineData("!!!! ???? #### %%%%")]
    [InlineData("1234 5678 @@@@ $$$$")]
    public void Text_with_no_letters_is_never_profane(string text)
    {
        Assert.False(Scorer.Matcher.ContainsProfanity(text), text);
        Assert.Empty(Scorer.Matcher.FindMatches(text));
        Assert.False(Scorer.Score(text).IsProfane);
    }

    [Theory]
    [InlineData("The blue tit and the great tit came to the feeder.")]
    [InlineData("The rooster, or cock, crowed at dawn on the farm.")]
    [InlineData("Mary rode an ass into Bethlehem, a donkey of the nativity.")]
    [InlineData("I pricked my finger on a thorn and felt the prick of the needle.")]
    [InlineData("He graduated summa cum laude from Yale.")]
    [InlineData("She graduated cum laude in 1998.")]
    [InlineData("His niggardly tip annoyed the waiter.")]
    [InlineData("The niggard counted every penny.")]
    [InlineData("Camille Pissarro painted the boulevard at night.")]
    [InlineData("A painting by Pissarro hangs in the gallery.")]
    public void Literal_senses_in_context_are_not_flagged(string text) => Assert.False(Scorer.Score(text).IsProfane, text);

    [Theory]
    [InlineData("behold......you would think they had never seen a bus before")]
    [InlineData("W-e A-r-e N-o-w going to win this")]
    [InlineData("W-E A-R-E N-O-W")]
    [InlineData("The O.T.. was reviewed by the board.")]
    [InlineData("as the saying goes, who...exemplified...the most")]
    [InlineData("we cannot regard it as...uncaused")]
    [InlineData("I had covid19 twice and my b4by is fine")]
    [InlineData("Meet me at the h0tel by the c4stle at 5pm")]
    public void Punctuation_and_digits_are_not_joined_across_real_words(string text) => Assert.Empty(Scorer.Matcher.FindMatches(text));

    [Theory]
    [InlineData("f-u-c-k this")]
    [InlineData("She's a b_i_t_c_h and everyone knows it")]
    [InlineData("He's a d-o-u-c-h-e-b-a-g, plain and simple.")]
    [InlineData("s h i t")]
    [InlineData("f.u.c.k off")]
    [InlineData("what a f4cking joke")]
    [InlineData("sh..t happens")]
    [InlineData("pr1ck of a manager")]
    [InlineData("what a cr@ppie day")]
    public void Spelled_out_and_masked_words_are_still_found(string text) => Assert.True(Scorer.Matcher.ContainsProfanity(text), text);
}
