namespace Moderation.Core.Relevance;

/// <summary>
/// English function words and conversational filler removed before lexical comparison: they match
/// between any two texts and would make an unrelated rant look on topic.
/// </summary>
internal static class EnglishStopWords
{
    public static readonly HashSet<string> Set = new(StringComparer.Ordinal)
    {
        "a","about","above","after","again","against","all","am","an","and","any","are","as","at",
        "be","because","been","before","being","below","between","both","but","by","can","could",
        "did","do","does","doing","don","down","during","each","few","for","from","further","had",
        "has","have","having","he","her","here","hers","herself","him","himself","his","how","i",
        "if","in","into","is","it","its","itself","just","me","more","most","my","myself","no","nor",
        "not","now","of","off","on","once","only","or","other","our","ours","ourselves","out","over",
        "own","same","she","should","so","some","such","than","that","the","their","theirs","them",
        "themselves","then","there","these","they","this","those","through","to","too","under",
        "until","up","very","was","we","were","what","when","where","which","while","who","whom",
        "why","will","with","would","you","your","yours","yourself","yourselves","also","get","got",
        "im","ive","dont","cant","wont","isnt","didnt","doesnt","thats","really","even","still",
        "much","many","one","two","like","well","yes","yeah","ok","okay","oh","lol","us","let",
        "may","might","must","shall","said","says","say","going","go","know","think","thing","things",
        "way","make","made","every","lot","back","never","always","anyone","anything","everyone",
        "everything","someone","something","nothing","since","though","although","however","per",
        "via","etc","mr","mrs","ms","dr","de","la","el","le","re","ll","ve","s","t","d","m"
    };
}
