from kb.chunking import HeadingChunker
from kb.documents import SourceDocument


def doc(text: str) -> SourceDocument:
    return SourceDocument(key="t", url="https://vng.nl/x", title="Leerplicht", site="vng.nl",
                          doc_type="page", text=text)


def test_chunks_follow_headings_and_keep_the_heading_path():
    text = ("Inleiding over leerplicht.\n\n# Leerplicht\n\n## Taken\nDe gemeente handhaaft.\n\n"
            "### Verzuim\nScholen melden verzuim.\n\n## Thuiszitters\nHet pact uit 2016.")
    chunks = HeadingChunker(900).split(doc(text))
    assert [c.heading for c in chunks] == ["", "Taken", "Taken > Verzuim", "Thuiszitters"]
    assert chunks[2].body == "Scholen melden verzuim."
    assert chunks[2].contextual_text("Leerplicht").startswith("Leerplicht — Taken > Verzuim\n")


def test_long_sections_split_on_sentence_boundaries():
    sentence = "Gemeenten verantwoorden de uitgaven via SiSa in de jaarrekening. "
    chunks = HeadingChunker(300).split(doc("## Verantwoording\n" + sentence * 20))
    assert len(chunks) > 3
    assert all(len(c.body) <= 300 for c in chunks)
    assert all(c.body.endswith(".") for c in chunks)
    assert all(c.heading == "Verantwoording" for c in chunks)
