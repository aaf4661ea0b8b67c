using Moderation.Core.Relevance;

namespace Moderation.Core.Tests.Relevance;

/// <summary>One embedder for the whole test run: loading the ONNX model takes a couple of seconds.</summary>
public static class SharedEmbedder
{
    private static readonly Lazy<SentenceEmbedder> Instance = new(() => SentenceEmbedder.CreateDefault());
    public static SentenceEmbedder Value => Instance.Value;
}

/// <summary>A small hand-written article and comments (not from training-data).</summary>
public static class Samples
{
    public const string Title = "Riverton expands bike-share to the east side with 40 new docking stations";

    public const string Body =
        "Riverton's bike-share program will add 40 docking stations and 400 bicycles on the east side next spring, the transportation department said on Tuesday. " +
        "The expansion, paid for by a $6-million state grant, brings the network to 160 stations. " +
        "Half of the new bikes will be electric, a response to riders who complained about the steep climb up Hillcrest Avenue. " +
        "A single ride will still cost $2 for 30 minutes, and monthly passes will stay at $15, with a discounted $5 pass for residents on low incomes. " +
        "Some shop owners on Market Street worry that docking stations will take away parking spaces in front of their stores. " +
        "The city says each station replaces at most two parking spots and that cyclists spend more at local businesses than drivers do. " +
        "Council member Dana Ortiz called the plan overdue: the east side has the lowest car ownership in the city and the worst bus service. " +
        "Ridership on the existing network rose 18 per cent last year, with most trips under three kilometres. " +
        "The department will hold two public meetings in March to choose the exact station locations.\n\n" +
        "Critics say the money would be better spent on protected bike lanes, since many residents do not feel safe riding next to traffic on Route 9. " +
        "The transportation director said lanes are planned for 2027 but depend on a separate federal grant.";

    public static readonly string[] OnTopic =
    [
        "Finally! The east side has needed bike-share for years. Electric bikes for the Hillcrest hill are a smart call.",
        "Docking stations are pointless without protected bike lanes. I'm not riding next to trucks on Route 9.",
        "As a shop owner on Market Street I'm worried about losing the two parking spots outside my store.",
        "The $5 low-income pass is the best part of this plan. Hope they advertise it properly.",
    ];

    public static readonly string[] OffTopic =
    [
        "Does anyone know a good plumber? My kitchen sink has been leaking for a week and nobody answers the phone.",
        "The quarterback threw three interceptions last night, the coach has to go before the playoffs.",
        "My cousin makes $400 a day from home with this one weird trick, check out easycashnow dot biz.",
        "I made sourdough bread this weekend and the crust came out perfect after baking at 250 degrees.",
    ];

    public static string OffTopicRant(int sentences)
    {
        var parts = new[]
        {
            "Let me tell you about my landlord, who has not fixed the heating in my apartment since October.",
            "Every winter the radiators clank all night and then go cold by morning.",
            "I have called the property management company eleven times and they keep promising a technician.",
            "My neighbour downstairs bought three space heaters and blew the fuse twice last week.",
            "The rent went up again in January even though the laundry room has been broken for months.",
            "Tenants in this city have no rights and the housing tribunal takes a year to hear a complaint.",
        };
        return string.Join(" ", Enumerable.Range(0, sentences).Select(i => parts[i % parts.Length]));
    }
}
