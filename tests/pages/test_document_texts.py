"""`texts`: every text pane of a document page, `{kind, language, text}` in page order, on the
mirror's pages, the variants, the real page saved from the site (when it is at hand) and small
pages of their own for each way a pane is named."""


import pytest

from harvester.pages.document import DocumentPage
from harvester.pages.texts import id_name, label_name
from tests.helpers.pages import SITE, VARIANTS, all_document_pages, expected_for, load_json
from tests.helpers.real_shaped import REAL_PAGE_URL, real_page

URL = "https://digitalarchive.wilsoncenter.org/document/x"


def texts_of(folder, slug: str) -> tuple[list[tuple], dict]:
    """The page's texts as (kind, language, text), and its hand-checked expected record."""
    page = folder / "document" / f"{slug}.html"
    found = DocumentPage.from_html(page.read_bytes(), f"{URL[:-1]}{slug}").texts()
    return [(t["kind"], t["language"], t["text"]) for t in found], load_json(expected_for(page))


def test_translation_and_original_in_two_languages():
    found, expected = texts_of(
        SITE, "memorandum-conversation-between-erich-honecker-and-kim-il-sung-31-may-1984")
    assert found == [
        ("translation", "English",
         "Comrade Erich Honecker warmly welcomed Comrade Kim Il Sung and the delegation of the "
         "DPRK to the GDR.\n\nComrade Kim Il Sung said that the deployment of new American "
         "missiles in Western Europe and in South Korea threatens peace in the whole world. The "
         "DPRK proposes tripartite talks with the United States and South Korea.\n\nComrade "
         "Erich Honecker assured Comrade Kim Il Sung of the full support of the GDR for the "
         "peaceful reunification of Korea."),
        ("original", "German",
         "Genosse Erich Honecker begrüßte Genossen Kim Il Sung und die Delegation der KDVR "
         "herzlich in der DDR.\n\nGenosse Kim Il Sung führte aus, dass die Stationierung neuer "
         "amerikanischer Raketen den Frieden in der ganzen Welt bedrohe."),
    ]
    assert expected["text"] == found[0][2]


def test_a_lone_pane_without_tab_buttons_has_no_language():
    found, expected = texts_of(SITE, "record-conversation-between-todor-zhivkov-and-kim-il-sung")
    assert found == [("translation", None, expected["text"])]
    assert expected["text"].startswith("Record of the conversation held in Sofia on 13 June "
                                       "1975\n\nTodor Zhivkov: Dear Comrade Kim Il Sung,")


def test_a_transcript_is_a_text_of_its_own():
    found, expected = texts_of(
        SITE, "record-conversation-between-hu-yaobang-and-kim-il-sung-taiwan-and-korean-peninsula")
    assert found == [("translation", "English", expected["text"]),
                     ("transcript", "Chinese",
                      "胡耀邦总书记：我们希望朝鲜同志理解我们“一国两制”的政策。")]


def test_page_order_is_kept_when_the_original_comes_first():
    found, expected = texts_of(SITE, "record-conversation-between-ns-khrushchev-and-kim-il-sung")
    assert found == [
        ("original", "Russian", "ЗАПИСЬ БЕСЕДЫ Н.С. ХРУЩЁВА С КИМ ИР СЕНОМ\n\nТоварищ Хрущёв "
                                "приветствует товарища Ким Ир Сена и всю корейскую делегацию."),
        ("translation", "English", expected["text"])]


def test_the_original_scan_pane_is_not_a_text():
    """Its only line says where the scan is: no text of the document."""
    found, expected = texts_of(SITE, "telegram-shtykov-gromyko-and-stalin-0")
    assert found == [("translation", "English", expected["text"])]


def test_a_pdf_only_page_and_a_page_that_lost_its_text_hold_no_text():
    pdf, expected = texts_of(VARIANTS, "letter-kim-il-sung-walter-ulbricht-11-june-1956")
    assert (pdf, expected["text"], expected["preview"] is not None) == ([], None, True)
    lost, expected = texts_of(
        VARIANTS, "information-talks-between-todor-zhivkov-and-kim-il-sung-pyongyang-1985")
    assert (lost, expected["text"], expected["preview"]) == ([], None, None)


@pytest.mark.parametrize("page", all_document_pages(), ids=lambda p: p.stem[:40])
def test_no_script_style_or_tab_label_is_text(page):
    texts = DocumentPage.from_html(page.read_bytes(), URL).texts()
    for marker in ("__CF$cv$params", "margin-bottom", "English Translation", "Original Scan"):
        assert not any(marker in t["text"] for t in texts), marker


def test_the_real_page_holds_one_english_translation():
    page = DocumentPage.from_html(real_page(), REAL_PAGE_URL)
    [text] = page.texts()
    assert (text["kind"], text["language"]) == ("translation", "English")
    assert text["text"] == page.text()
    paragraphs = text["text"].split("\n\n")
    # 22 paragraphs on the page, three of them only `&nbsp;`
    assert len(paragraphs) == 19
    assert paragraphs[:7] == ["Secret", "Indefinite Duration", "No. 2 of 40 copies",
                              "The Chinese Communist Problem", "November 18, 1967",
                              "Asian Affairs Bureau", "1．The Cultural Revolution and the Chinese "
                              "Communist Political Situation"]
    assert (paragraphs[10], paragraphs[14]) == ("2．Chinese Communist Foreign Policy",
                                                "3. Our Country’s Policy on the Chinese Communists")
    assert paragraphs[-1].startswith("[Paragraph’s first line and first half of second line "
                                     "redacted] Even if the Chinese Communists have armed")
    assert paragraphs[-1].endswith("there is increasingly little concern about being "
                                   "influenced from the other side.")


# -- how panes are named -------------------------------------------------------------------------
def page_of(tabs: str, after: str = "") -> DocumentPage:
    return DocumentPage.from_html(f'<h1 class="title">T</h1><div id="documentTabs">{tabs}</div>'
                                  f"{after}", URL)


def pane(attributes: str, body: str, active: bool = False) -> str:
    shown = " active" if active else ""
    return f'<div class="tab-pane fade{shown}" {attributes}>{body}</div>'


def languages(*panes: str) -> str:
    return f'<div class="tab-content tab-content-languages">{"".join(panes)}</div>'


def test_ids_alone_name_kind_and_language_whatever_their_case():
    page = page_of(pane('id="translation"', languages(
        pane('id="translation-English"', "<p>One.</p>", True),
        pane('id="translation-korean"', "<p>Two.</p>")), True)
        + pane('id="original"', languages(pane('id="original-serbo-croatian"', "<p>Три.</p>"))))
    assert page.texts() == [
        {"kind": "translation", "language": "English", "text": "One."},
        {"kind": "translation", "language": "Korean", "text": "Two."},
        {"kind": "original", "language": "Serbo-Croatian", "text": "Три."}]


def test_tab_buttons_name_panes_by_target_by_control_and_by_aria_labelledby():
    buttons = ('<button data-bs-target="#tab-original-7">Korean Original</button>'
               '<a href="#tab-transcript-7">Chinese Transcript</a>'
               '<button id="t-tab">English Translation</button>')
    page = page_of(buttons + pane('id="tab-translation-7" aria-labelledby="t-tab"', "<p>A.</p>",
                                  True)
                   + pane('id="tab-original-7"', "<p>B.</p>")
                   + pane('id="tab-transcript-7"', "<p>C.</p>"))
    assert [(t["kind"], t["language"]) for t in page.texts()] == [
        ("translation", "English"), ("original", "Korean"), ("transcript", "Chinese")]


def test_without_ids_the_dropdowns_name_the_shown_pane_and_an_unnamed_pane_is_left_out():
    dropdowns = ('<div class="dropdown dropdown-document-type"><button class="dropdown-toggle">'
                 '<span class="changing-text">Translation</span></button></div>'
                 '<div class="dropdown dropdown-document-language"><button class="dropdown-toggle">'
                 '<span class="changing-text">English</span></button></div>')
    page = page_of(pane("", languages(pane("", "<p>Shown.</p>", True), pane("", "<p>Hidden.</p>")),
                        True), after=dropdowns)
    assert page.texts() == [{"kind": "translation", "language": "English", "text": "Shown."}]
    assert page_of(pane("", "<p>Shown.</p>", True)).texts() == []


def test_text_is_the_english_translation_even_when_the_original_is_shown():
    page = page_of(pane('id="original"', languages(pane('id="original-german"', "<p>Urtext.</p>",
                                                         True)), True)
                   + pane('id="translation"', languages(pane('id="translation-english"',
                                                             "<p>English text.</p>", True))))
    assert (page.text(), [t["kind"] for t in page.texts()]) == ("English text.",
                                                                ["original", "translation"])


def test_a_scan_and_a_pane_without_text_are_not_texts():
    page = page_of(pane('id="translation"', "<p>Text.</p>", True)
                   + pane('id="scan"', "<p>The scan can be downloaded from this page.</p>")
                   + pane('id="original"', '<object class="pdf-preview" data="/a.pdf"></object>')
                   + pane('id="transcript"', "<script>var a = 1;</script><style>p {}</style>"))
    assert page.texts() == [{"kind": "translation", "language": None, "text": "Text."}]


@pytest.mark.parametrize(("value", "kind", "language", "scan"), [
    ("translation", "translation", None, False),
    ("tab-translation-22230", "translation", None, False),
    ("tab-transcript-30154", "transcript", None, False),
    ("translation-English", "translation", "English", False),
    ("original-german", "original", "German", False),
    ("original_serbo-croatian", "original", "Serbo-Croatian", False),
    ("scan", None, None, True),
    ("documentTabs", None, None, False),
    (None, None, None, False),
])
def test_what_an_id_names(value, kind, language, scan):
    assert id_name(value) == (kind, language, scan)


@pytest.mark.parametrize(("value", "kind", "language", "scan"), [
    ("English Translation", "translation", "English", False),
    ("Russian Original", "original", "Russian", False),
    ("Chinese Transcript", "transcript", "Chinese", False),
    ("Translation", "translation", None, False),
    ("polish", None, "Polish", False),
    ("Original Scan", "original", None, True),
    ("Translation (English)", "translation", "English", False),
    (None, None, None, False),
])
def test_what_a_label_names(value, kind, language, scan):
    assert label_name(value) == (kind, language, scan)
