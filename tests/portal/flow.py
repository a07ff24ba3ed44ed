"""Send a self-report the way the portal asks for it: three steps."""

from content.codes import LOCATIONS


def report_steps(client, token, data):
    """Walk the self-report's steps with `data` in the shape of the whole
    report ({"pain_<location>_<context>": "n", ..., "symptoms": [...]}): tap the
    places with a score (or "Nowhere"), give their scores, tick the symptoms
    and send. Returns the response to the last step's POST."""
    pain = {name: value for name, value in data.items() if name.startswith("pain_") and value != ""}
    places = [code for code in LOCATIONS if any(name.startswith(f"pain_{code}_") for name in pain)]
    where = client.post(f"/p/{token}/report/", {"locations": places or ["nowhere"]})
    assert where.status_code == 302, where.content.decode()[:500]
    if places:
        how_much = client.post(f"/p/{token}/report/how-much/", pain)
        assert how_much.status_code == 302, how_much.content.decode()[:500]
    return client.post(f"/p/{token}/report/warning-signs/", {"symptoms": data.get("symptoms", [])})
