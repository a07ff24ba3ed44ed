"""The small markup of education articles, for every page that shows them."""


def article_blocks(body: str) -> list[dict]:
    """Split an article body into paragraphs and bullet lists.

    Blank lines separate paragraphs; consecutive lines starting "- " form one
    list. Returns [{"kind": "p", "text": ...} | {"kind": "ul", "items": [...]}].
    """
    blocks: list[dict] = []
    paragraph: list[str] = []

    def end_paragraph():
        if paragraph:
            blocks.append({"kind": "p", "text": " ".join(paragraph)})
            paragraph.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            end_paragraph()
        elif line.startswith("- "):
            end_paragraph()
            if not blocks or blocks[-1]["kind"] != "ul":
                blocks.append({"kind": "ul", "items": []})
            blocks[-1]["items"].append(line[2:].strip())
        else:
            if blocks and blocks[-1]["kind"] == "ul" and not paragraph and raw[:1] in (" ", "\t"):
                # An indented continuation of the previous bullet.
                blocks[-1]["items"][-1] += " " + line
                continue
            paragraph.append(line)
    end_paragraph()
    return blocks
