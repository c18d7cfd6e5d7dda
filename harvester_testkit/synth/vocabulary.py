"""Values the synthetic archive draws from, in the forms docs/SITE.md records for the real site."""

# (name, facet term id)
PLACES = (
    ("Korea (North)", 1001), ("Soviet Union", 1002), ("China", 1003), ("United States", 1004),
    ("Korea (South)", 1005), ("Japan", 1006), ("Poland", 1011), ("Germany (East)", 1014),
    ("Hungary", 1016), ("Romania", 1019), ("Bulgaria", 1022), ("Czechoslovakia", 1024),
    ("Taiwan", 1028), ("Vietnam", 1031), ("Cuba", 1035), ("India", 1038), ("Mongolia", 1044),
    ("Yugoslavia", 1050), ("Great Britain", 1055), ("Southeast Asia", 1060),
    ("Pyongyang (Korea)", 1093), ("South Hamgyong Province (Korea)", 1187),
    ("Kraków (Poland)", 1201), ("Moscow (Russia)", 1210), ("Beijing (China)", 1220),
)

SUBJECTS = (
    "Korean War, 1950-1953", "Korean War, 1950-1953--Causes", "Military assistance, Soviet",
    "China--History--Cultural Revolution, 1966-1976", "Korea (North)--Foreign relations--China",
    "Korea (North)--Foreign relations--Soviet Union", "Japan--Foreign relations--Taiwan",
    "Korea--History--Partition, 1945-", "Nuclear arms control", "Nuclear-weapon-free zones",
    "United Nations. General Assembly", "Korean reunification question (1945- )",
    "China--History--Great Leap Forward, 1958-1961", "Vietnam War, 1961-1975",
    "Sino-Soviet relations", "Economic assistance, Soviet", "Taiwan--Foreign relations--China",
    "Chinese reunification question, 1949-", "Hungary--History--Revolution, 1956",
    "Germany (East)--Foreign relations--Korea (North)", "Juche idea", "Armistices",
    "Poland--History--1980-1989", "Détente", "Propaganda, Communist",
)

# (archive, facet id, source citation with {n} {a} {b} numbers)
ARCHIVES = (
    ("Archive of Foreign Policy of the Russian Federation (AVP RF)", 501,
     "AVPRF f. 0102, op. {n}, p. {a}, delo {b}. Translated for NKIDP."),
    ("Archive of the President of the Russian Federation (APRF)", 502,
     "APRF, Fond 45, Opis 1, Delo {n}, Listy {a}-{b}. Translated for CWIHP."),
    ("Russian State Archive of Contemporary History (RGANI)", 503,
     "RGANI, fond 52, opis 1, delo {n}, listy {a}-{b}. Translated for NKIDP."),
    ("German Federal Archives (BArch)", 505,
     "SAPMO-BArch, DY 30/{n}. Translated for NKIDP."),
    ("Archive of the Ministry of Foreign Affairs, Poland", 512,
     "AMSZ, Department II, 19{a}, {n}/75, w-{b}. Obtained for NKIDP and translated by Maciej "
     "Grabowski."),
    ("Hungarian National Archives (MOL)", 520,
     "MOL, XIX-J-1-j Korea, {a}. doboz, {n}/19{b}. Translated for NKIDP by Balázs Szalontai."),
    ("Central State Archive, Bulgaria", 545,
     "Central State Archive, Sofia, Fond 378-B, Record {n}, File {a}. Obtained and translated "
     "for NKIDP."),
    ("Archive of the Ministry of Foreign Affairs, Mongolia", 560,
     "Mongolian Foreign Ministry Archive, fond 3, dans {a}, kh/n {n}. Obtained and translated "
     "for NKIDP."),
    ("National Archives of Romania", 565,
     "ANIC, CC RCP Chancellery, file {n}/19{a}. Translated for NKIDP by Eliza Gheorghe."),
    ("Diplomatic Archives of the Ministry of Foreign Affairs of Japan", 570,
     "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, 2010-{n}. Obtained and "
     "translated for NKIDP."),
    ("Chinese Foreign Ministry Archive", 575,
     "PRC FMA {n}-{a}-{b}. Translated by Charles Kraus."),
    ("Archiv bezpečnostních složek", 580,
     "ABS, fond {n}, sign. {a}/{b}. Translated for CWIHP by Adolf Šimek."),
)

# (language, facet id, a sentence in it for the original-language tab)
LANGUAGES = (
    ("English", 1, "The original is in English."),
    ("German", 2, "Genosse Erich Honecker begrüßte die Delegation der KDVR herzlich."),
    ("Russian", 3, "Товарищ Хрущёв приветствует товарища Ким Ир Сена и всю корейскую делегацию."),
    ("Chinese", 5, "胡耀邦总书记：我们希望朝鲜同志理解我们“一国两制”的政策。"),
    ("Korean", 6, "김일성 동지는 대표단을 따뜻이 맞이하였다."),
    ("Polish", 7, "Rozmowa odbyła się w Phenianie i trwała dwie i pół godziny."),
    ("Japanese", 9, "金日成首相は日本社会党代表団を接見し、約三時間にわたり談話した。"),
    ("Hungarian", 11, "Kim Ir Szen elvtárs fogadta a magyar követet."),
    ("Romanian", 13, "Tovarășul Nicolae Ceaușescu: Ne bucurăm foarte mult să ne aflăm în Coreea."),
    ("Bulgarian", 16, "Тодор Живков: Драги другарю Ким Ир Сен, радваме се, че приехте поканата."),
    ("Mongolian", 21, "Ким Ир Сен нөхөр Монгол Ардын Хувьсгалт Намын төлөөлөгчдийг хүлээн авав."),
    ("Czech", 23, "Soudruh Novotný přivítal vládní delegaci KLDR v Praze."),
)

DONORS = (
    "Leon Levy Foundation", "Carnegie Corporation of New York (CCNY)", "Korea Foundation",
    "John D. and Catherine T. MacArthur Foundation", "Henry Luce Foundation",
    "Ministry of Unification of the Republic of Korea", "Chun & Jane Doo Foundation",
)
CREDIT_PREFIX = "This document was made possible with support from"

TYPES = (
    "Memorandum of Conversation", "Telegram", "Report", "Letter", "Diary Entry", "Minutes",
    "Cable", "Speech", "Memorandum",
)
CLASSIFICATIONS = ("Top Secret", "Secret", "Confidential", "Strictly Secret", "For Official Use")

RIGHTS_REUSE = ("The History and Public Policy Program welcomes reuse of Digital Archive "
                "materials for research and educational purposes.")
RIGHTS_PLAIN = (RIGHTS_REUSE + " Some documents may be subject to copyright; users are advised "
                "to consult the Terms of Use.")
# (text before the address, address, text after, Cloudflare key byte)
RIGHTS_WITH_EMAIL = (
    (RIGHTS_REUSE + " Some documents may be subject to copyright. For permissions please write "
     "to ", "digitalarchive@wilsoncenter.org", ".", 0x5A),
    (RIGHTS_REUSE + " Questions about this document? Contact the History and Public Policy "
     "Program at ", "happ@wilsoncenter.org", " or visit our website.", 0x3C),
)

CITIES = ("Pyongyang", "Moscow", "Beijing", "Berlin", "Warsaw", "Budapest", "Bucharest", "Sofia",
          "Prague", "Ulaanbaatar", "Hanoi", "Tokyo", "Kraków", "Wuchang")
COUNTRIES = ("the Soviet Union", "China", "Poland", "the GDR", "Hungary", "Romania", "Bulgaria",
             "Czechoslovakia", "Mongolia", "Vietnam", "Japan", "Cuba")
THEMES = (
    "the situation on the Korean peninsula", "economic and cultural cooperation",
    "the withdrawal of the Chinese People’s Volunteers", "requests for arms and advisers",
    "relations with the United States", "the Sino-Soviet dispute", "the armistice negotiations",
    "the reunification of Korea", "the Cultural Revolution", "disarmament proposals",
    "trade and credit agreements", "the Treaty of Friendship, Cooperation and Mutual Assistance",
)

# (slug, title, term id, description); the first is the bundled fixture's topic.
KIM_TOPIC_DESCRIPTION = (
    "This collection of primary source documents assembles a record of Kim Il Sung's "
    "conversations with foreign allies and other outsiders from 1949 through 1986, providing "
    "insights into DPRK foreign policy and domestic politics from North Korea's highest leader.")
TOPICS = (
    ("conversations-kim-il-sung", "Conversations with Kim Il Sung", 86466, KIM_TOPIC_DESCRIPTION),
    ("korean-war", "Korean War", 86467, None),
    ("sino-soviet-split", "Sino-Soviet Split", 86477, None),
    ("korean-war-origins", "Korean War Origins, 1945-1950", 86462, None),
    ("north-korea-cold-war", "North Korea in the Cold War", 86470, None),
    ("hungarian-revolution-1956", "Hungarian Revolution of 1956", 86480, None),
    ("detente", "Détente", 86481, None),
    ("japan-korea-relations", "Japan–Korea Relations", 86482, None),
    ("polish-crisis-1980-1981", "Polish Crisis, 1980-1981", 86483, None),
    ("nuclear-history", "Nuclear History", 86484, None),
    ("vietnam-war", "Vietnam War", 86485, None),
    ("inter-korean-relations", "Inter-Korean Relations", 86486, None),
    ("taiwan-strait-crises", "Taiwan Strait Crises", 86487, None),
    ("mongolia-cold-war", "Mongolia in the Cold War", 86488, None),
    ("prague-spring", "Prague Spring", 86489, None),
    ("cuban-missile-crisis", "Cuban Missile Crisis", 86490, None),
)
TOPIC_DESCRIPTION = ("Primary source documents on {subject}, drawn from the archives of "
                     "{places}. The collection is updated as new translations are published.")
