"""Send a self-report the way the portal asks for it: three steps."""

import re

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
    return send_signs(client, token, data.get("symptoms", []))


def send_signs(client, token, symptoms):
    """Step 3 as the browser sends it: the scores the page carries and the signs ticked."""
    page = client.get(f"/p/{token}/report/warning-signs/")
    carried = dict(re.findall(r'<input type="hidden" name="(pain_[a-z_]+)" value="([0-9]+)">',
                              page.content.decode())) if page.status_code == 200 else {}
    return client.post(f"/p/{token}/report/warning-signs/", {**carried, "symptoms": symptoms})
