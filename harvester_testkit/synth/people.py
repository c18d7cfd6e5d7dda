"""People and organisations the synthetic documents name, with the Person object each pill must
give (docs/RECORDS.md), written out by hand so the ground truth never comes from the parser.

A pill links the person's page `/people/<slug>` (the site's own links), or a faceted search on
its term id (older pages and other mirrors), or nothing; the record keeps what the link gives.

Only Kim, Mao, Zhou and Chiang stand for East Asian family names, as in the bundled fixtures:
the contract names no longer list, so no record depends on one.
"""

from dataclasses import dataclass

# How a page links its person pills: to `/people/<slug>`, or to a faceted `people:<id>` search.
SLUG_LINKS, TERM_LINKS = "slug", "term"


@dataclass(frozen=True)
class Person:
    key: str
    name: str  # as the pill shows it (NFC, clean)
    id: int | None  # None: the pill has no link
    display: str
    family: str | None = None
    given: str | None = None
    kind: str = "person"
    details: tuple[str, str] | None = None  # life dates and region a pill may show as well
    slug: str | None = None  # its page `/people/<slug>`; None with the id (no page, no link)

    def record(self, role: str, links: str = TERM_LINKS) -> dict:
        """The Person object of its pill on a page that links pills as `links` says."""
        by_slug = links == SLUG_LINKS and self.id is not None
        return {"id": None if by_slug else self.id, "slug": self.slug if by_slug else None,
                "name": self.name, "role": role, "display": self.display,
                "family": self.family, "given": self.given, "kind": self.kind}


def _person(key: str, name: str, id: int, display: str, family: str, given: str, slug: str,
            details: tuple[str, str] | None = None) -> Person:
    return Person(key, name, id, display, family, given, "person", details, slug)


def _org(key: str, name: str, id: int | None, slug: str | None) -> Person:
    return Person(key, name, id, name, None, None, "organization", None, slug)


LEADERS = (
    _person("kim", "Kim, Il Sung", 40011, "Kim Il Sung", "Kim", "Il Sung", "kim-il-sung",
            ("1912-1994", "Korea (North)")),
    _person("kim-jong-il", "Kim, Jong Il", 40012, "Kim Jong Il", "Kim", "Jong Il", "kim-jong-il"),
    _person("mao", "Mao, Zedong", 39915, "Mao Zedong", "Mao", "Zedong", "mao-zedong",
            ("1893-1976", "China")),
    _person("zhou", "Zhou, Enlai", 39920, "Zhou Enlai", "Zhou", "Enlai", "zhou-enlai"),
    _person("chiang-ck", "Chiang, Ching-kuo (Jiang Jingguo)", 41877, "Chiang Ching-kuo",
            "Chiang", "Ching-kuo", "chiang-ching-kuo-jiang-jingguo"),
    _person("chiang-ks", "Chiang, Kai-shek, 1887-1975", 41870, "Chiang Kai-shek", "Chiang",
            "Kai-shek", "chiang-kai-shek"),
    _person("stalin", "Stalin, Joseph, 1878-1953", 39830, "Joseph Stalin", "Stalin", "Joseph",
            "stalin-joseph", ("1878-1953", "Soviet Union")),
    _person("khrushchev", "Khrushchev, Nikita Sergeevich, 1894-1971", 39860,
            "Nikita Sergeevich Khrushchev", "Khrushchev", "Nikita Sergeevich",
            "khrushchev-nikita-sergeevich"),
    _person("brezhnev", "Brezhnev, Leonid Ilyich, 1906-1982", 39875, "Leonid Ilyich Brezhnev",
            "Brezhnev", "Leonid Ilyich", "brezhnev-leonid-ilyich"),
    _person("gromyko", "Gromyko, Andrei Andreevich, 1909-1989", 39870,
            "Andrei Andreevich Gromyko", "Gromyko", "Andrei Andreevich",
            "gromyko-andrei-andreevich"),
    _person("shtykov", "Shtykov, Terentii Fomich", 40211, "Terentii Fomich Shtykov", "Shtykov",
            "Terentii Fomich", "shtykov-terentii-fomich"),
    _person("puzanov", "Puzanov, Aleksandr Mikhailovich", 40433,
            "Aleksandr Mikhailovich Puzanov", "Puzanov", "Aleksandr Mikhailovich",
            "puzanov-aleksandr-mikhailovich"),
    _person("zakharov", "Zakharov, Matvei Vasilevich", 41611, "Matvei Vasilevich Zakharov",
            "Zakharov", "Matvei Vasilevich", "zakharov-matvei-vasilevich"),
    _person("bialek", "Białek, Mieczysław", 41610, "Mieczysław Białek", "Białek", "Mieczysław",
            "bialek-mieczyslaw"),
    _person("kadar", "Kádár, János", 40790, "János Kádár", "Kádár", "János", "kadar-janos"),
    _person("rakosi", "Rákosi, Mátyás", 40791, "Mátyás Rákosi", "Rákosi", "Mátyás",
            "rakosi-matyas"),
    _person("ceausescu", "Ceaușescu, Nicolae", 40512, "Nicolae Ceaușescu", "Ceaușescu",
            "Nicolae", "ceausescu-nicolae"),
    _person("novotny", "Novotný, Antonín", 40875, "Antonín Novotný", "Novotný", "Antonín",
            "novotny-antonin"),
    _person("dubcek", "Dubček, Alexander", 40880, "Alexander Dubček", "Dubček", "Alexander",
            "dubcek-alexander"),
    _person("zhivkov", "Zhivkov, Todor", 40398, "Todor Zhivkov", "Zhivkov", "Todor",
            "zhivkov-todor"),
    _person("honecker", "Honecker, Erich", 40344, "Erich Honecker", "Honecker", "Erich",
            "honecker-erich"),
    _person("ulbricht", "Ulbricht, Walter, 1893-1973", 40340, "Walter Ulbricht", "Ulbricht",
            "Walter", "ulbricht-walter"),
    _person("jaruzelski", "Jaruzelski, Wojciech", 41220, "Wojciech Jaruzelski", "Jaruzelski",
            "Wojciech", "jaruzelski-wojciech"),
    _person("gomulka", "Gomułka, Władysław, 1905-1982", 41200, "Władysław Gomułka", "Gomułka",
            "Władysław", "gomulka-wladyslaw"),
    _person("tito", "Tito, Josip Broz, 1892-1980", 40600, "Josip Broz Tito", "Tito",
            "Josip Broz", "tito-josip-broz"),
    _person("castro", "Castro, Fidel, 1926-2016", 40700, "Fidel Castro", "Castro", "Fidel",
            "castro-fidel"),
    _person("nehru", "Nehru, Jawaharlal", 40800, "Jawaharlal Nehru", "Nehru", "Jawaharlal",
            "nehru-jawaharlal"),
    _person("blair", 'Blair, Anthony Charles Lynton ("Tony")', 41900,
            "Anthony Charles Lynton Blair", "Blair", "Anthony Charles Lynton",
            "blair-anthony-charles-lynton-tony"),
    # A second term shown as "Kim Il Sung": its page's slug got the clash suffix.
    Person("kim-plain", "Kim Il Sung", 87212, "Kim Il Sung", None, None, "unknown", None,
           "kim-il-sung-0"),
    Person("ho", "Ho Chi Minh", 87300, "Ho Chi Minh", None, None, "unknown", None,
           "ho-chi-minh"),
)

ORGANIZATIONS = (
    _org("wpk", "Workers' Party of Korea", 42288, "workers-party-korea"),
    _org("jsp", "Japan Socialist Party", 43301, "japan-socialist-party"),
    _org("pl-mfa", "Poland. Ministry of Foreign Affairs", 42031,
         "poland-ministry-foreign-affairs"),
    _org("kp-embassy-su", "Korea (North). Embassy (Soviet Union)", 42650,
         "korea-north-embassy-soviet-union"),
    _org("hu-legation", "Hungary. Legation (North Korea)", 42700,
         "hungary-legation-north-korea"),
    _org("cn-mfa", "China. Ministry of Foreign Affairs", 42010,
         "china-ministry-foreign-affairs"),
    _org("jp-asian-affairs", "Japan. Foreign Ministry. Asian Affairs Bureau", 42110,
         "japan-foreign-ministry-asian-affairs-bureau"),
    _org("pl-embassy-ca", "Poland. Embassy (Canada)", 42120, "poland-embassy-canada"),
    _org("cpsu-cc", "Communist Party of the Soviet Union. Central Committee", 42100,
         "communist-party-soviet-union-central-committee"),
    _org("mprp-cc", "Mongolian People's Revolutionary Party. Central Committee", 43120,
         "mongolian-peoples-revolutionary-party-central-committee"),
    _org("rcp-cc", "Romanian Communist Party. Central Committee", None, None),
    _org("un-sc", "United Nations. Security Council", 42500, "united-nations-security-council"),
    _org("gdr-mfaa", "Germany (East). Ministerium für Auswärtige Angelegenheiten", 42300,
         "germany-east-ministerium-fur-auswartige-angelegenheiten"),
)

CONTRIBUTORS = (
    _person("morgan", "Morgan, Elena", 44120, "Elena Morgan", "Morgan", "Elena",
            "morgan-elena"),
    _person("hanley", "Hanley, Lucas", 44121, "Lucas Hanley", "Hanley", "Lucas",
            "hanley-lucas"),
    _person("novak", "Novák, Irena", 44122, "Irena Novák", "Novák", "Irena", "novak-irena"),
)

PEOPLE: dict[str, Person] = {p.key: p for p in (*LEADERS, *ORGANIZATIONS, *CONTRIBUTORS)}
# Inverted personal names a document can be "between"; Kim first: the archive's main figure.
PARTICIPANTS = tuple(p for p in LEADERS if p.kind == "person")
UNINVERTED = tuple(p for p in LEADERS if p.kind == "unknown")
