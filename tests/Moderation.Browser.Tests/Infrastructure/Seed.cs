namespace Moderation.Browser.Tests.Infrastructure;

/// <summary>Articles and comments the tests post through the ingest API.</summary>
public static class Seed
{
    public const string LibraryArticle = "eastgate-library";
    public const string LibraryTitle = "Eastgate library to close on Saturdays from March";

    public const string LibraryBody =
        "The Eastgate branch library will close on Saturdays from the first of March, the council said on Tuesday, " +
        "citing a budget shortfall of forty thousand pounds.\n\n" +
        "Librarians said Saturday is the busiest day for families and students, and that the closure would hit children's " +
        "reading groups hardest. The council said weekday opening hours would be extended until eight in the evening.\n\n" +
        "A public consultation on the library closure runs until the end of January. Residents can respond online or at the branch.";

    public static Task LibraryAsync(LiveApp app) => app.PutArticleAsync(LibraryArticle, LibraryTitle, LibraryBody);
}
