namespace Moderation.Core.Profanity;

/// <summary>
/// Look-alike letters that Unicode normalisation does not fold to Latin (Cyrillic, Greek,
/// Armenian, IPA and small capitals), and the invisible characters that are deleted.
/// Keyed per code point because case matters (Greek ν is v, Ν is N).
/// </summary>
internal static class Homoglyphs
{
    public static readonly Dictionary<char, string> Map = Build();

    public static bool Invisible(char c) =>
        c is '\u00AD' or '\u034F' or '\u061C' or '\u115F' or '\u1160' or '\u17B4' or '\u17B5' or '\u180E'
          or (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u206F')
          or '\u3164' or '\uFEFF' or '\uFFA0' or (>= '\uFE00' and <= '\uFE0F');

    private static Dictionary<char, string> Build()
    {
        var d = new Dictionary<char, string>();
        void Add(string from, string to) { for (int i = 0; i < from.Length; i++) d[from[i]] = to[i].ToString(); }
        // Cyrillic letters that both look like one Latin letter and transliterate to another (р: p or r).
        void Both(string pairs) { foreach (var p in pairs.Split(' ')) d[p[0]] = p[1..]; }
        // Cyrillic (upper and lower case forms that look Latin).
        Add("АаВвСсЕеЁёЀѐНнІіЇїЈјКкМмОоРрЅѕТтУуХхҺһԀԁԚԛԜԝЬьпгиҮүӀӏЃѓЌќЎўӦӧӨөԌԍ",
            "aabbcceeeeeehhiiiijjkkmmooppssttyyxxhhddqqwwbbnruyyllrrkkyyoooogg");
        // Greek.
        Add("ΑαΒβγΔδΕεΖΗηΙιΚκΜμΝνΟοΡρΤτΥυΧχωϲϳςΘθ",
            "aabbyddeezhniikkmunvooppttyuxxwcjsoo");
        // Armenian and Cherokee look-alikes.
        Add("օսհոցԱՍՕᎪᎬᏞᎻᏆᏟᎠᏒᎢ", "ounhgauoaelhjcdrt");
        // Latin letters without a decomposition, IPA, small capitals.
        Add("ıłŁøØđĐħĦƒŧŦßæÆœŒþɑɡɩʋɵᴀʙᴄᴅᴇғɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢɐɔǝɥɯɹʇʌʍʎ",
            "illooddhhfttsaaoopagiuoabcdefghijklmnopqrstuvwyzaoehmrtvwy");
        // Letters with hooks, tails and strokes that have no decomposition (ƈ, ɦ, ʃ = long s / f).
        Add("ƈɦƙƥɓɗɠɱɲƭʠʂʐȿɀɫɬɭɽɾʈʉɨʝƴƶȥʄɕʑɧ", "chkpbdgmntqszszlllrrtuijyzzjczh");
        Both("ʃsf");
        Both("Рpr рpr Вbv вbv Нhn нhn Уyu уyu Сcs сcs Хxh хxh Иun иun Пnp пnp Гr гr Дd дd Лl лl Зz зz Фf фf Бb бb ꜰf ꜰf");
        return d;
    }
}
