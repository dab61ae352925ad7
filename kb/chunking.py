"""Split documents into heading-aware chunks that are short enough to cite precisely."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from kb.documents import SourceDocument

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


@dataclass(frozen=True)
class Chunk:
    index: int
    heading: str  # heading path below the title, " > "-joined; "" for the lead
    body: str

    def contextual_text(self, title: str) -> str:
        """What gets embedded and lexically indexed: title and heading give the context."""
        head = f"{title} — {self.heading}" if self.heading else title
        return f"{head}\n{self.body}"


class HeadingChunker:
    """Markdown headings first, then paragraph/sentence boundaries for long sections."""

    def __init__(self, max_chars: int = 900, overlap: int = 0) -> None:
        self._by_heading = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True)
        self._by_size = RecursiveCharacterTextSplitter(
            chunk_size=max_chars,
            chunk_overlap=overlap,
            separators=["\n\n", "\n", ". ", "; ", ", ", " "],
            keep_separator="end",
        )

    def split(self, doc: SourceDocument) -> list[Chunk]:
        chunks: list[Chunk] = []
        for section in self._by_heading.split_text(doc.text):
            path = [section.metadata[k] for _, k in _HEADERS if k in section.metadata]
            # A leading "# Title" repeats the document title: drop it from the path.
            if path and path[0].strip().lower() == doc.title.strip().lower():
                path = path[1:]
            heading = " > ".join(p.strip() for p in path)
            for piece in self._by_size.split_text(section.page_content):
                body = piece.strip()
                if body:
                    chunks.append(Chunk(index=len(chunks), heading=heading, body=body))
        return chunks
